// SPDX-License-Identifier: GPL-2.0
/*
 * handoff.c - move a dGPU between gpuhelper, vfio-pci and the host.
 *
 * A tracked function is in one of the states of enum gpuhelper_state:
 * stub (bound to gpuhelper), vfio (bound to vfio-pci), host (the host's
 * own driver, or none when no driver matches) or unbound (pinned but not
 * bound, after a manual unbind). A hand-off moves a "set": the function
 * asked for and, when it is a dGPU, the tracked functions at its slot
 * (its HDMI audio unless told otherwise). It is all or nothing: every
 * function of the set reaches the target, or every one is put back where
 * it was.
 *
 * Only driver core calls are used: the override (compat.h), then
 * device_release_driver() and device_attach(), and the result is checked.
 *
 * Safety:
 *  - into vfio: the set has an IOMMU group, every other member of it is
 *    a bridge or bound to vfio-pci, gpuhelper or nothing, and vfio-pci is
 *    loaded (on demand);
 *  - out of vfio: gpuhelper claims the group's DMA ownership before it
 *    unbinds vfio-pci. The claim fails while userspace owns the group (a
 *    VM set a container on /dev/vfio/N, or bound an iommufd), and while
 *    gpuhelper holds it nobody can open the device, so vfio-pci's remove,
 *    which waits for the device's users, never waits on userspace.
 *
 * Locking: each dGPU's move_lock serializes the hand-offs of the
 * functions at its slot (a companion's hand-off takes its dGPU's); no
 * global lock is held across driver core calls. A hand-off holds a
 * reference on every function it moves (gh_get()), so a function
 * unlisted meanwhile (claim.c, under gh_lock alone) stays valid and is
 * seen as gone. Readers (blockers, DEV_GET) take references under
 * gh_lock and never a move_lock, nor the device lock of a function being
 * moved: a hand-off blocked in a host driver's remove blocks nobody else.
 * Order: move_lock, then device locks (driver core), then gh_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

#include "compat.h"
#include "gpuhelper.h"

#define GH_VFIO_DRV	"vfio-pci"	/* the driver's name, to bind it */
#define GH_VFIO_MOD	"vfio_pci"	/* its module's, to know it bound */
#define GH_SET_MAX	8	/* functions in one slot */
#define GH_GROUP_MAX	32	/* members of one IOMMU group we inspect */
#define GH_WHY_LEN	80	/* a refusal, short enough for an extack */
#define GH_FIX_NO_IOMMU	\
	"enable the IOMMU (VT-d/AMD-Vi in the firmware; intel_iommu=on or amd_iommu=on)"

static const char * const gh_state_names[] = {
	[GPUHELPER_STATE_STUB]		= "stub",
	[GPUHELPER_STATE_VFIO]		= "vfio",
	[GPUHELPER_STATE_HOST]		= "host",
	[GPUHELPER_STATE_UNBOUND]	= "unbound",
};

/**
 * gh_state_name() - the sysfs and CLI name of a state
 * @state: enum gpuhelper_state
 *
 * Return: a constant string, "unknown" for a value out of range.
 */
const char *gh_state_name(u32 state)
{
	if (state >= ARRAY_SIZE(gh_state_names) || !gh_state_names[state])
		return "unknown";
	return gh_state_names[state];
}

/**
 * gh_state_parse() - a target state written to sysfs
 * @buf: "stub", "vfio" or "host", with or without a trailing newline
 * @state: set to the enum gpuhelper_state on success
 *
 * Return: 0, or -EINVAL for anything else ("unbound" is not a target).
 */
int gh_state_parse(const char *buf, u32 *state)
{
	u32 s;

	for (s = GPUHELPER_STATE_STUB; s <= GPUHELPER_STATE_HOST; s++) {
		if (sysfs_streq(buf, gh_state_names[s])) {
			*state = s;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * gh_role_of() - what a function is to the hand-off
 * @pdev: the function
 *
 * Return: enum gpuhelper_role.
 */
u32 gh_role_of(struct pci_dev *pdev)
{
	if ((pdev->class >> 8) == PCI_CLASS_MULTIMEDIA_HD_AUDIO)
		return GPUHELPER_ROLE_AUDIO;
	if ((pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY ||
	    PCI_FUNC(pdev->devfn) == 0)
		return GPUHELPER_ROLE_DGPU;
	return GPUHELPER_ROLE_OTHER;
}

static bool gh_same_slot(struct pci_dev *a, struct pci_dev *b)
{
	return a->bus == b->bus && PCI_SLOT(a->devfn) == PCI_SLOT(b->devfn);
}

/**
 * gh_is_companion() - is @pdev the audio function of a dGPU gpuhelper holds
 * @pdev: a function not matched by ids=
 *
 * With with_audio=Y, an HDMI/DP audio function at the slot of a function
 * ids= matches is held too, so that it moves with the dGPU.
 *
 * Return: true when it should be tracked as a companion.
 */
bool gh_is_companion(struct pci_dev *pdev)
{
	struct pci_dev *sib;
	bool found = false;
	int fn;

	if (!gh_with_audio() || gh_role_of(pdev) != GPUHELPER_ROLE_AUDIO)
		return false;
	for (fn = 0; fn < 8 && !found; fn++) {
		sib = pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), fn));
		if (!sib)
			continue;
		found = sib != pdev && gh_role_of(sib) == GPUHELPER_ROLE_DGPU &&
			gh_ids_match_pdev(sib) &&
			(vga_default_device() != sib || gh_claim_boot_vga());
		pci_dev_put(sib);
	}
	return found;
}

/*
 * Which driver is bound is judged by what the kernel records of it, not
 * by the name it registered under: gpuhelper's own is the one this module
 * registered (owner); vfio-pci's is the PCI driver the vfio_pci module
 * registered (mod_name, KBUILD_MODNAME, which the PCI core records for
 * built-in drivers too) and, as every vfio driver, manages DMA itself
 * (driver_managed_dma: it takes the IOMMU group's ownership on open). A
 * driver of another module that calls itself "vfio-pci", or one that
 * does not manage DMA, is a host driver. vfio-pci-core's variant drivers
 * (mlx5_vfio_pci...) are host drivers here: gpuhelper hands to vfio-pci
 * only, and vfio-pci-core exports nothing that tells its drivers apart.
 */
static bool gh_drv_is_own(struct device_driver *drv)
{
	return drv->owner == THIS_MODULE;
}

static bool gh_drv_is_vfio_pci(struct device_driver *drv)
{
	return to_pci_driver(drv)->driver_managed_dma && drv->mod_name &&
	       !strcmp(drv->mod_name, GH_VFIO_MOD);
}

/* The state the driver bound now gives; @hint when there is none. */
static u32 gh_state_now(struct pci_dev *pdev, u32 hint)
{
	struct device_driver *drv = pdev->dev.driver;

	if (!drv)
		return hint == GPUHELPER_STATE_HOST ? GPUHELPER_STATE_HOST :
						      GPUHELPER_STATE_UNBOUND;
	if (gh_drv_is_own(drv))
		return GPUHELPER_STATE_STUB;
	if (gh_drv_is_vfio_pci(drv))
		return GPUHELPER_STATE_VFIO;
	return GPUHELPER_STATE_HOST;
}

/**
 * gh_state_init() - role and first state of a newly tracked function
 * @gh: the function, not yet visible to anyone else
 */
void gh_state_init(struct gh_device *gh)
{
	gh->role = gh_role_of(gh->pdev);
	gh->state = gh_state_now(gh->pdev, GPUHELPER_STATE_UNBOUND);
	gh_driver_snapshot(gh);
}

/**
 * gh_driver_snapshot() - record the name of the driver bound now
 * @gh: the function
 *
 * Context: gh_lock held, and the driver cannot change meanwhile (the bus
 * notifier, under the device lock; or tracking, before anyone binds).
 */
void gh_driver_snapshot(struct gh_device *gh)
{
	struct device_driver *drv = gh->pdev->dev.driver;

	strscpy(gh->driver, drv ? drv->name : "", sizeof(gh->driver));
}

/**
 * gh_state_driver_changed() - follow a bind or unbind of a tracked function
 * @pdev: the function, from the bus notifier
 *
 * A bind or unbind gpuhelper did not make itself (a write to bind/unbind,
 * a driver loading) is reported as an external state change.
 *
 * Context: the device lock of @pdev held; takes gh_lock.
 */
void gh_state_driver_changed(struct pci_dev *pdev)
{
	struct gh_device *gh;
	u32 old, new;

	mutex_lock(&gh_lock);
	gh = gh_find(pdev);
	if (!gh) {
		mutex_unlock(&gh_lock);
		return;
	}
	gh_get(gh);
	old = gh->state;
	new = gh_state_now(pdev, old);
	gh->state = new;
	gh_driver_snapshot(gh);
	mutex_unlock(&gh_lock);

	if (old != new && READ_ONCE(gh->mover) != current)
		gh_netlink_notify(gh, old, new, GPUHELPER_CAUSE_EXTERNAL);
	gh_put(gh);
}

/**
 * gh_iommu_group_id() - IOMMU group number of a function
 * @pdev: the function
 *
 * Return: the group number, or -ENODEV without an IOMMU group.
 */
int gh_iommu_group_id(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	int id;

	if (!group)
		return -ENODEV;
	id = iommu_group_id(group);
	iommu_group_put(group);
	return id;
}

/**
 * gh_find_primary() - the dGPU a companion follows
 * @gh: a tracked function
 *
 * Context: gh_lock held.
 * Return: the tracked dGPU at @gh's slot, NULL when @gh is one itself or
 * there is none.
 */
struct gh_device *gh_find_primary(struct gh_device *gh)
{
	struct gh_device *o;

	lockdep_assert_held(&gh_lock);
	if (gh->role == GPUHELPER_ROLE_DGPU)
		return NULL;
	list_for_each_entry(o, &gh_devices, node)
		if (o->role == GPUHELPER_ROLE_DGPU && gh_same_slot(o->pdev, gh->pdev))
			return o;
	return NULL;
}

struct gh_member {
	struct gh_device *gh;
	u32 old;
	bool move;		/* not already bound as the target wants */
	char *old_override;
};

struct gh_set {
	struct gh_member m[GH_SET_MAX];
	unsigned int n;
};

static bool gh_listed(struct gh_device *gh)
{
	struct gh_device *o;

	lockdep_assert_held(&gh_lock);
	list_for_each_entry(o, &gh_devices, node)
		if (o == gh)
			return true;
	return false;
}

/*
 * The functions a hand-off of @gh moves: @gh, and when it is a dGPU the
 * other tracked functions at its slot (audio ones only @with_audio).
 */
static void gh_set_build(struct gh_device *gh, bool with_audio,
			 struct gh_set *set)
{
	struct gh_device *o;

	lockdep_assert_held(&gh_lock);
	memset(set, 0, sizeof(*set));
	set->m[set->n++].gh = gh;
	if (gh->role != GPUHELPER_ROLE_DGPU)
		goto states;
	list_for_each_entry(o, &gh_devices, node) {
		if (o == gh || o->role == GPUHELPER_ROLE_DGPU ||
		    !gh_same_slot(o->pdev, gh->pdev))
			continue;
		if (o->role == GPUHELPER_ROLE_AUDIO && !with_audio)
			continue;
		if (set->n < GH_SET_MAX)
			set->m[set->n++].gh = o;
	}
states:
	for (unsigned int i = 0; i < set->n; i++) {
		gh_get(set->m[i].gh);
		set->m[i].old = set->m[i].gh->state;
	}
}

/* Drop the references gh_set_build() took. */
static void gh_set_put(struct gh_set *set)
{
	for (unsigned int i = 0; i < set->n; i++)
		gh_put(set->m[i].gh);
}

static bool gh_set_has(struct gh_set *set, struct pci_dev *pdev)
{
	for (unsigned int i = 0; i < set->n; i++)
		if (set->m[i].gh->pdev == pdev)
			return true;
	return false;
}

/* Where blockers go: the attribute text, and the first one, short. */
struct gh_report {
	char *buf;
	size_t len;
	size_t off;
	char *why;
	size_t why_len;
	const char *fix;
	int count;
};

static __printf(3, 4) void gh_report_add(struct gh_report *r, const char *fix,
					 const char *fmt, ...)
{
	char what[GH_WHY_LEN];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!r->count && r->why)
		strscpy(r->why, what, r->why_len);
	if (!r->count)
		r->fix = fix;
	if (r->buf)
		r->off += scnprintf(r->buf + r->off, r->len - r->off, "%s: %s\n",
				    what, fix);
	r->count++;
}

struct gh_group_scan {
	struct pci_dev *pdev[GH_GROUP_MAX];
	unsigned int n;
	bool overflow;
};

static int gh_group_collect(struct device *dev, void *data)
{
	struct gh_group_scan *scan = data;

	if (!dev_is_pci(dev))
		return 0;
	if (scan->n == GH_GROUP_MAX) {
		scan->overflow = true;
		return 0;
	}
	scan->pdev[scan->n++] = pci_dev_get(to_pci_dev(dev));
	return 0;
}

/* Report each member of @group outside @set that would keep it from vfio. */
static void gh_group_check(struct gh_set *set, struct iommu_group *group,
			   struct gh_report *r)
{
	struct gh_group_scan scan = { };
	int id = iommu_group_id(group);
	unsigned int i;

	/* Collect first: a device lock must not be taken under the group's. */
	iommu_group_for_each_dev(group, &scan, gh_group_collect);
	if (scan.overflow)
		gh_report_add(r, "split the group (ACS) or hand off by hand",
			      "IOMMU group %d has more than %d devices", id,
			      GH_GROUP_MAX);

	for (i = 0; i < scan.n; i++) {
		struct pci_dev *p = scan.pdev[i];
		struct device_driver *drv;

		if (gh_set_has(set, p) || pci_is_bridge(p))
			goto next;
		device_lock(&p->dev);
		drv = p->dev.driver;
		/*
		 * Only a driver that uses the DMA API keeps the group from
		 * vfio: vfio-pci and its variant drivers, pci-stub and
		 * gpuhelper manage DMA themselves (driver_managed_dma).
		 */
		if (drv && !to_pci_driver(drv)->driver_managed_dma)
			gh_report_add(r, "hand it off too, or unbind it from its driver",
				      "%s bound to %s shares IOMMU group %d",
				      pci_name(p), drv->name, id);
		device_unlock(&p->dev);
next:
		pci_dev_put(p);
	}
}

/* Everything that keeps @set from vfio-pci now. */
static void gh_set_check_vfio(struct gh_set *set, struct gh_report *r)
{
	struct iommu_group *seen[GH_SET_MAX];
	unsigned int i, j, nseen = 0;

	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;
		struct iommu_group *group = iommu_group_get(&pdev->dev);

		if (!group) {
			gh_report_add(r, GH_FIX_NO_IOMMU, "%s has no IOMMU group",
				      pci_name(pdev));
			continue;
		}
		for (j = 0; j < nseen; j++)
			if (seen[j] == group)
				break;
		if (j < nseen) {
			iommu_group_put(group);
			continue;
		}
		seen[nseen++] = group;
		gh_group_check(set, group, r);
	}
	for (j = 0; j < nseen; j++)
		iommu_group_put(seen[j]);
}

/* A reference to the IOMMU group of @m's function if it leaves vfio. */
static struct iommu_group *gh_member_vfio_group(const struct gh_member *m)
{
	if (m->old != GPUHELPER_STATE_VFIO)
		return NULL;
	return iommu_group_get(&m->gh->pdev->dev);
}

/*
 * Who owns the group of @pdev, a function leaving vfio: a member bound to
 * a driver that uses the DMA API (an audio function on snd_hda_intel)
 * claims the group as surely as a VM does; name it when there is one.
 */
static void gh_report_owner(struct gh_set *set, struct iommu_group *group,
			    struct pci_dev *pdev, struct gh_report *r)
{
	int before = r->count;

	gh_group_check(set, group, r);
	if (r->count == before)
		gh_report_add(r, "shut down the VM or close the vfio program first",
			      "%s in use: IOMMU group %d is held by userspace (a VM)",
			      pci_name(pdev), iommu_group_id(group));
}

/* Userspace, or a kernel driver, owning the groups of @set's vfio functions. */
static void gh_set_check_user(struct gh_set *set, struct gh_report *r)
{
	for (unsigned int i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;
		struct iommu_group *group = gh_member_vfio_group(&set->m[i]);

		if (!group)
			continue;
		if (iommu_group_dma_owner_claimed(group))
			gh_report_owner(set, group, pdev, r);
		iommu_group_put(group);
	}
}

static bool gh_set_leaves_vfio(struct gh_set *set, u32 target)
{
	if (target == GPUHELPER_STATE_VFIO)
		return false;
	for (unsigned int i = 0; i < set->n; i++)
		if (set->m[i].old == GPUHELPER_STATE_VFIO)
			return true;
	return false;
}

/**
 * gh_blockers() - what would block a hand-off of @gh right now
 * @gh: a tracked function
 * @with_audio: whether the hand-off would take the audio function along
 * @buf: receives "<what>: <fix>" lines, one per blocker
 * @len: size of @buf
 *
 * For a function in vfio the hand-off in question is out of vfio (is
 * userspace holding it?), for any other one it is into vfio.
 *
 * Context: @gh referenced (sysfs drvdata, a netlink lookup); takes the
 * device locks of group members outside the hand-off's set only, so a
 * hand-off blocked in a driver's remove does not block it.
 * Return: the number of blockers, or -ENODEV when @gh is going away.
 */
int gh_blockers(struct gh_device *gh, bool with_audio, char *buf, size_t len)
{
	struct gh_report r = { .buf = buf, .len = len };
	struct gh_set set;

	if (len)
		buf[0] = '\0';
	mutex_lock(&gh_lock);
	if (!gh_listed(gh)) {
		mutex_unlock(&gh_lock);
		return -ENODEV;
	}
	gh_set_build(gh, with_audio, &set);
	mutex_unlock(&gh_lock);

	if (gh_set_leaves_vfio(&set, GPUHELPER_STATE_STUB))
		gh_set_check_user(&set, &r);
	else
		gh_set_check_vfio(&set, &r);
	gh_set_put(&set);
	return r.count;
}

static int gh_vfio_available(char *why, size_t len)
{
	if (driver_find(GH_VFIO_DRV, &pci_bus_type))
		return 0;
	request_module(GH_VFIO_DRV);
	if (driver_find(GH_VFIO_DRV, &pci_bus_type))
		return 0;
	scnprintf(why, len, "vfio-pci is not available (modprobe vfio-pci failed)");
	return -ENODEV;
}

static void gh_groups_release(struct iommu_group **owned, unsigned int *nowned)
{
	while (*nowned) {
		(*nowned)--;
		iommu_group_release_dma_owner(owned[*nowned]);
		iommu_group_put(owned[*nowned]);
	}
}

/*
 * Take DMA ownership of the groups of @set's vfio functions, so that no
 * one can open them while vfio-pci is unbound. Fails while userspace owns
 * one: that is "a VM holds the device".
 */
static int gh_groups_take(struct gh_set *set, void *owner, struct iommu_group **owned,
			  unsigned int *nowned, char *why, size_t len)
{
	unsigned int i, j;
	int ret;

	*nowned = 0;
	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;
		struct iommu_group *group = gh_member_vfio_group(&set->m[i]);

		if (!group)
			continue;
		for (j = 0; j < *nowned; j++)
			if (owned[j] == group)
				break;
		if (j < *nowned) {
			iommu_group_put(group);
			continue;
		}
		ret = iommu_group_claim_dma_owner(group, owner);
		if (ret) {
			struct gh_report r = { .why = why, .why_len = len };

			gh_report_owner(set, group, pdev, &r);
			iommu_group_put(group);
			goto err_release;
		}
		owned[(*nowned)++] = group;
	}
	return 0;

err_release:
	gh_groups_release(owned, nowned);
	return -EBUSY;
}

static const char *gh_override_for(u32 state)
{
	switch (state) {
	case GPUHELPER_STATE_STUB:
		return GH_DRV_NAME;
	case GPUHELPER_STATE_VFIO:
		return GH_VFIO_DRV;
	default:
		return "";
	}
}

/* Load the host's driver for @pdev, as udev would on an uevent. */
static void gh_request_host_driver(struct pci_dev *pdev)
{
	request_module("pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
		       pdev->vendor, pdev->device, pdev->subsystem_vendor,
		       pdev->subsystem_device, (u8)(pdev->class >> 16),
		       (u8)(pdev->class >> 8), (u8)pdev->class);
}

/* Has @pdev reached @target? A host with no matching driver is unbound. */
static bool gh_reached(struct pci_dev *pdev, u32 target)
{
	return gh_state_now(pdev, target) == target;
}

/* Pin @pdev to @override and unbind it. */
static int gh_unbind_to(struct pci_dev *pdev, const char *override)
{
	int ret = gh_override_set(pdev, override);

	if (ret)
		return ret;
	if (pdev->dev.driver)
		device_release_driver(&pdev->dev);
	return 0;
}

static int gh_bind(struct pci_dev *pdev, u32 target)
{
	int ret;

	if (target == GPUHELPER_STATE_HOST)
		gh_request_host_driver(pdev);
	ret = device_attach(&pdev->dev);
	if (ret < 0)
		return ret;
	return gh_reached(pdev, target) ? 0 : -EIO;
}

/* Put every function of @set back as it was. */
static void gh_set_rollback(struct gh_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;

		if (!set->m[i].old_override)
			continue;
		if (gh_unbind_to(pdev, set->m[i].old_override))
			pci_err(pdev, "rollback: cannot restore driver_override '%s'\n",
				set->m[i].old_override);
	}
	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;
		u32 old = set->m[i].old;

		if (!set->m[i].old_override)
			continue;
		if (old != GPUHELPER_STATE_UNBOUND && device_attach(&pdev->dev) < 0)
			pci_err(pdev, "rollback: cannot rebind\n");
		if (!gh_reached(pdev, old))
			pci_err(pdev, "rollback left it %s instead of %s: write %s to /sys/class/gpuhelper/%s/state\n",
				gh_state_name(gh_state_now(pdev, old)),
				gh_state_name(old), gh_state_name(old),
				pci_name(pdev));
	}
}

/* Unbind all of @set, then bind all of it to @target. */
static int gh_set_move(struct gh_set *set, void *owner, u32 target, char *why,
		       size_t len)
{
	struct iommu_group *owned[GH_SET_MAX];
	unsigned int i, nowned = 0;
	int ret;

	if (gh_set_leaves_vfio(set, target)) {
		ret = gh_groups_take(set, owner, owned, &nowned, why, len);
		if (ret)
			return ret;
	}

	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;

		/*
		 * One already there stays bound: unbinding a function that is
		 * on vfio-pci already could wait on the VM that uses it.
		 */
		set->m[i].move = set->m[i].old != target ||
				 !gh_reached(pdev, target);
		if (!set->m[i].move)
			continue;
		set->m[i].old_override = gh_override_dup(pdev);
		if (!set->m[i].old_override) {
			ret = -ENOMEM;
			goto err_rollback;
		}
		ret = gh_unbind_to(pdev, gh_override_for(target));
		if (ret) {
			scnprintf(why, len, "%s: cannot set driver_override (%d)",
				  pci_name(pdev), ret);
			goto err_rollback;
		}
	}
	/* Unbound and pinned: vfio-pci cannot hand it to anyone any more. */
	gh_groups_release(owned, &nowned);

	for (i = 0; i < set->n; i++) {
		struct pci_dev *pdev = set->m[i].gh->pdev;

		if (!set->m[i].move)
			continue;
		ret = gh_bind(pdev, target);
		if (ret) {
			scnprintf(why, len, "%s did not bind to %s (%d): see the kernel log",
				  pci_name(pdev), target == GPUHELPER_STATE_HOST ?
				  "a host driver" : gh_override_for(target), ret);
			goto err_rollback;
		}
	}
	return 0;

err_rollback:
	/* put back first, then let go of the groups: no VM may step in */
	gh_set_rollback(set);
	gh_groups_release(owned, &nowned);
	return ret;
}

/* gh_handoff() with its slot's move_lock held; @owner claims IOMMU groups. */
static int gh_handoff_locked(struct gh_device *gh, void *owner, u32 target,
			     bool with_audio, u32 cause, char *why, size_t len)
{
	struct gh_report r = { .why = why, .why_len = len };
	struct gh_set set;
	unsigned int i;
	bool change = false;
	int ret = 0;

	mutex_lock(&gh_lock);
	if (!gh_listed(gh)) {
		mutex_unlock(&gh_lock);
		return -ENODEV;
	}
	gh_set_build(gh, with_audio, &set);
	mutex_unlock(&gh_lock);

	for (i = 0; i < set.n; i++)
		if (set.m[i].old != target || !gh_reached(set.m[i].gh->pdev, target))
			change = true;
	if (!change)
		goto out;

	if (target == GPUHELPER_STATE_VFIO) {
		gh_set_check_vfio(&set, &r);
		if (r.count) {
			ret = -EBUSY;
			goto out_refused;
		}
		ret = gh_vfio_available(why, len);
		if (ret)
			goto out_refused;
	}

	for (i = 0; i < set.n; i++)
		WRITE_ONCE(set.m[i].gh->mover, current);
	ret = gh_set_move(&set, owner, target, why, len);
	for (i = 0; i < set.n; i++)
		WRITE_ONCE(set.m[i].gh->mover, NULL);

	for (i = 0; i < set.n; i++) {
		struct gh_member *m = &set.m[i];
		u32 new = gh_state_now(m->gh->pdev, ret ? m->old : target);

		mutex_lock(&gh_lock);
		m->gh->state = new;
		mutex_unlock(&gh_lock);
		if (new != m->old)
			gh_netlink_notify(m->gh, m->old, new, cause);
		kfree(m->old_override);
	}
	if (ret == -EBUSY)
		r.fix = "shut down the VM or close the vfio program first";
	if (ret && ret != -EBUSY)
		pr_err("%s: hand-off to %s failed, rolled back: %s\n",
		       pci_name(gh->pdev), gh_state_name(target), why);
	else if (ret)
		goto out_refused;
	else
		pr_info("%s: handed off to %s with %u function%s\n",
			pci_name(gh->pdev), gh_state_name(target), set.n,
			set.n == 1 ? "" : "s");
	goto out;

out_refused:
	pr_warn("%s: hand-off to %s refused: %s: %s\n", pci_name(gh->pdev),
		gh_state_name(target), why,
		r.fix ?: "see the blockers file in its /sys/class/gpuhelper directory");
out:
	gh_set_put(&set);
	return ret;
}

/**
 * gh_handoff() - move @gh, and the functions that go with it, to @target
 * @gh: a tracked function, referenced (sysfs drvdata, a netlink lookup)
 * @target: GPUHELPER_STATE_STUB, _VFIO or _HOST
 * @with_audio: a dGPU's audio function moves along
 * @cause: enum gpuhelper_cause, for the events
 * @why: receives the reason of a refusal or failure, short
 * @len: size of @why
 *
 * Every function of the set reaches @target, or all are put back.
 * Each function whose state changed is reported on the events group.
 *
 * Context: may sleep for as long as the drivers' probe and remove take;
 * takes the move_lock of @gh's slot (its dGPU's), nothing global.
 * Return: 0; -EINVAL for a bad target; -ENODEV when @gh is going away or
 * vfio-pci is missing; -EBUSY when another device of the IOMMU group, or
 * userspace holding the group, blocks it; another errno from the driver
 * core when a bind failed (everything was rolled back).
 */
int gh_handoff(struct gh_device *gh, u32 target, bool with_audio, u32 cause,
	       char *why, size_t len)
{
	struct gh_device *leader;
	int ret;

	why[0] = '\0';
	if (target < GPUHELPER_STATE_STUB || target > GPUHELPER_STATE_HOST)
		return -EINVAL;

	mutex_lock(&gh_lock);
	if (!gh_listed(gh)) {
		mutex_unlock(&gh_lock);
		return -ENODEV;
	}
	leader = gh_find_primary(gh);
	leader = gh_get(leader ? leader : gh);
	mutex_unlock(&gh_lock);

	mutex_lock(&leader->move_lock);
	ret = gh_handoff_locked(gh, leader, target, with_audio, cause, why, len);
	mutex_unlock(&leader->move_lock);
	gh_put(leader);
	return ret;
}
