// SPDX-License-Identifier: GPL-2.0
/*
 * doctor_checks.c - gpuhelper doctor's checks of what the guest needs
 * installed (issue 16): the libvirt hook, the mdev udev rule, the SSDTs
 * in /var/lib/gpuhelper, the GVT-g ROM, the mdev, Secure Boot and
 * gpuhelper.ko's signature by an enrolled MOK key. Every path under the
 * root.
 */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acpi/aml_read.h"
#include "domain/vmplan.h"
#include "host/doctor_checks.h"
#include "lib/fileio.h"
#include "lib/root.h"

#define EFIVARS		"/sys/firmware/efi/efivars"
#define SECURE_BOOT	EFIVARS "/SecureBoot-8be4df61-93ca-11d2-aa0d-e0800e14d4a2"
#define MOK_LIST_RT	EFIVARS "/MokListRT-605dab50-e046-4300-abef-d6e9b3aeac3d"
#define DKMS_MOK_PUB	"/var/lib/dkms/mok.pub"
#define HOOK_FILE	"/etc/libvirt/hooks/qemu.d/gpuhelper"
#define UDEV_RULE	"70-gpuhelper-mdev.rules"

#define MOK_STEPS \
	"DKMS signs modules with /var/lib/dkms/mok.key and mok.pub (dkms 3 makes them on " \
	"its first build; else: openssl req -new -x509 -newkey rsa:2048 -nodes -days 36500 " \
	"-subj '/CN=DKMS module signing key/' -outform DER -keyout /var/lib/dkms/mok.key " \
	"-out /var/lib/dkms/mok.pub); rebuild signed: dkms build --force gpuhelper/VERSION " \
	"&& dkms install --force gpuhelper/VERSION; enroll the key: mokutil --import " \
	"/var/lib/dkms/mok.pub (choose a one-time password), reboot, and in MokManager pick " \
	"Enroll MOK, Continue, Yes, that password"

struct run {
	gh_check_emit emit;
	void *ctx;
};

static void say(struct run *r, const char *id, enum gh_check_verdict v, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void say(struct run *r, const char *id, enum gh_check_verdict v, const char *fix,
		const char *fmt, ...)
{
	struct gh_check c = { .id = id, .v = v };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c.detail, sizeof(c.detail), fmt, ap);
	va_end(ap);
	snprintf(c.fix, sizeof(c.fix), "%s", fix ? fix : "");
	r->emit(r->ctx, &c);
}

static int load(const char *abs, u8 **data, size_t *len, size_t max)
{
	char path[GH_PATH_MAX];

	if (gh_path(path, sizeof(path), abs))
		return -ENAMETOOLONG;
	return gh_read_file(path, data, len, max);
}

/* The libvirt hook: without it no dGPU is handed to vfio-pci at start. */
static void check_hook(struct run *r, const struct gh_doctor_in *in)
{
	char path[GH_PATH_MAX];
	struct stat st;

	if (!in->dgpu) {
		say(r, "libvirt-hook", GH_CHECK_SKIP, NULL, "no discrete GPU to hand off");
		return;
	}
	if (gh_path(path, sizeof(path), HOOK_FILE) || stat(path, &st) || !S_ISREG(st.st_mode)) {
		say(r, "libvirt-hook", GH_CHECK_FAIL,
		    "make install (or make install-config) installs it; then restart libvirt "
		    "(systemctl restart libvirtd or virtqemud), which reads its hooks at start",
		    "%s is not installed: libvirt will not hand the dGPU to vfio-pci when "
		    "the domain starts", HOOK_FILE);
		return;
	}
	if (!(st.st_mode & 0111)) {
		say(r, "libvirt-hook", GH_CHECK_FAIL, "chmod 0755 " HOOK_FILE,
		    "%s is not executable: libvirt skips it", HOOK_FILE);
		return;
	}
	say(r, "libvirt-hook", GH_CHECK_PASS, NULL, "the libvirt hook %s is installed", HOOK_FILE);
}

/* The udev rule that recreates the GVT-g mdev at every boot. */
static void check_udev(struct run *r, const struct gh_doctor_in *in)
{
	static const char *const dirs[] = {
		"/etc/udev/rules.d", "/usr/lib/udev/rules.d", "/lib/udev/rules.d",
		"/usr/local/lib/udev/rules.d",
	};
	char abs[128];
	size_t i;

	if (!in->gvt) {
		say(r, "udev-rule", GH_CHECK_SKIP, NULL, "no GVT-g capable iGPU");
		return;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(abs, sizeof(abs), "%s/" UDEV_RULE, dirs[i]);
		if (gh_exists(abs)) {
			say(r, "udev-rule", GH_CHECK_PASS, NULL, "the mdev udev rule %s is installed",
			    abs);
			return;
		}
	}
	say(r, "udev-rule", GH_CHECK_FAIL,
	    "make install (or make install-config) installs it in /usr/lib/udev/rules.d; "
	    "then udevadm control --reload",
	    "no %s: the GVT-g vGPU is not recreated at boot (gpuhelper mdev create "
	    "--persist relies on it)", UDEV_RULE);
}

/* One SSDT: readable, an SSDT by its header; its bytes in *data. */
static int ssdt(const char *abs, u8 **data, size_t *len, char *why, size_t whylen)
{
	int err = load(abs, data, len, 1U << 20);

	if (err) {
		snprintf(why, whylen, "%s: %s", abs, gh_file_strerror(err));
		return err;
	}
	if (gh_acpi_header_check(*data, *len, "SSDT", why, whylen)) {
		free(*data);
		return -EINVAL;
	}
	return 0;
}

/*
 * The battery SSDT and a complete vBIOS set, as gpuhelper vm lists them:
 * each read back, the _ROM method and the buffers VR00.. at the dGPU's
 * device on q35 (\_SB.PCI0.S08.S00: 01:00.0 behind the root port at
 * 00:01.0, as gpuhelper vm places it).
 */
static void check_ssdts(struct run *r, const struct gh_doctor_in *in)
{
	const char *fix = "gpuhelper acpi battery -o " GH_VM_BATTERY "; gpuhelper acpi vbios "
			  "--rom VBIOS.rom -o " GH_VM_DATADIR " (or gpuhelper vm --rom VBIOS.rom, "
			  "or from gpuhelper.ko's shadow: gpuhelper vm)";
	char why[256], path[GH_PATH_MAX];
	struct gh_aml_battery b;
	struct gh_aml_vbios v;
	unsigned int nbuf = 0, i;
	bool rom = false, seen[64] = { false };
	size_t len, skip;
	glob_t g;
	u8 *data;

	if (!in->dgpu) {
		say(r, "ssdts", GH_CHECK_SKIP, NULL, "no discrete GPU");
		return;
	}
	if (ssdt(GH_VM_BATTERY, &data, &len, why, sizeof(why))) {
		say(r, "ssdts", GH_CHECK_FAIL, fix, "the battery SSDT: %s", why);
		return;
	}
	i = gh_aml_read_battery(data, len, &b, why, sizeof(why));
	free(data);
	if (i) {
		say(r, "ssdts", GH_CHECK_FAIL, fix, "%s is not gpuhelper's battery: %s",
		    GH_VM_BATTERY, why);
		return;
	}
	if (gh_path(path, sizeof(path), GH_VM_DATADIR "/ssdt-vbios-*.aml"))
		return;
	skip = strlen(path) - strlen(GH_VM_DATADIR "/ssdt-vbios-*.aml");
	if (glob(path, 0, NULL, &g)) {
		say(r, "ssdts", GH_CHECK_FAIL, fix, "no vBIOS SSDTs in %s: the guest's driver "
		    "finds no vBIOS (Code 43)", GH_VM_DATADIR);
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		const char *f = g.gl_pathv[i] + skip;
		int err = ssdt(f, &data, &len, why, sizeof(why));

		if (!err) {
			err = gh_aml_read_vbios(data, len, &v, why, sizeof(why));
			free(data);
		}
		if (err) {
			say(r, "ssdts", GH_CHECK_FAIL, fix, "%s is not a vBIOS table of gpuhelper "
			    "acpi vbios: %s", f, why);
			goto out;
		}
		if (strcmp(v.scope, GH_ACPI_VBIOS_PATH_DEFAULT)) {
			say(r, "ssdts", GH_CHECK_FAIL, fix, "%s is for %s, but gpuhelper vm puts "
			    "the dGPU at %s (01:00.0 behind 00:01.0 on q35)", f, v.scope,
			    GH_ACPI_VBIOS_PATH_DEFAULT);
			goto out;
		}
		if (v.rom_method)
			rom = true;
		else if (v.index >= 0 && v.index < 64 && !seen[v.index])
			seen[v.index] = true, nbuf++;
	}
	for (i = 0; i < nbuf; i++)
		if (!seen[i])
			break;
	if (!rom || !nbuf || i < nbuf) {
		say(r, "ssdts", GH_CHECK_FAIL, fix, "the vBIOS SSDTs in %s are not a complete "
		    "set (%s, %u buffer table%s%s): the guest gets Code 43", GH_VM_DATADIR,
		    rom ? "_ROM" : "no _ROM method", nbuf, nbuf == 1 ? "" : "s",
		    i < nbuf ? ", not VR00 onwards" : "");
		goto out;
	}
	say(r, "ssdts", GH_CHECK_PASS, NULL, "the battery and %u vBIOS SSDTs in %s read back, "
	    "_ROM at %s", nbuf + 1, GH_VM_DATADIR, GH_ACPI_VBIOS_PATH_DEFAULT);
out:
	globfree(&g);
}

/* The GVT-g UEFI option ROM (vbios_gvt_uefi.rom): 55 AA, or none. */
static void check_gvt_rom(struct run *r, const struct gh_doctor_in *in)
{
	const char *fix = "put the GVT-g UEFI vBIOS (vbios_gvt_uefi.rom in the guide) at "
			  GH_VM_GVT_ROM ", or write the domain without it: gpuhelper vm "
			  "--gvt-rom none (OVMF then shows nothing before Windows' driver loads)";
	size_t len;
	u8 *data;
	int err;

	if (!in->gvt) {
		say(r, "gvt-rom", GH_CHECK_SKIP, NULL, "no GVT-g capable iGPU");
		return;
	}
	err = load(GH_VM_GVT_ROM, &data, &len, 16U << 20);
	if (err) {
		say(r, "gvt-rom", GH_CHECK_FAIL, fix, "%s: %s", GH_VM_GVT_ROM,
		    gh_file_strerror(err));
		return;
	}
	err = len < 512 || data[0] != 0x55 || data[1] != 0xaa;
	free(data);
	if (err)
		say(r, "gvt-rom", GH_CHECK_FAIL, fix, "%s is not a PCI option ROM (no 55 AA "
		    "signature, or under 512 bytes)", GH_VM_GVT_ROM);
	else
		say(r, "gvt-rom", GH_CHECK_PASS, NULL, "the GVT-g ROM %s (%zu bytes)",
		    GH_VM_GVT_ROM, len);
}

static void check_mdev(struct run *r, const struct gh_doctor_in *in)
{
	char fix[256];

	if (!in->gvt) {
		say(r, "gvt-vgpu", GH_CHECK_SKIP, NULL, "no GVT-g capable iGPU");
		return;
	}
	if (in->mdev_uuid && in->mdev_uuid[0]) {
		say(r, "gvt-vgpu", GH_CHECK_PASS, NULL, "GVT-g vGPU %s exists on %s", in->mdev_uuid,
		    in->igpu_bdf);
		return;
	}
	snprintf(fix, sizeof(fix), "gpuhelper mdev create --parent %s --persist (recreated at "
		 "every boot by the udev rule)", in->igpu_bdf);
	say(r, "gvt-vgpu", GH_CHECK_FAIL, fix, "%s has no GVT-g vGPU (mdev): the domain's "
	    "<hostdev type='mdev'> has nothing to use", in->igpu_bdf);
}

/* Secure Boot's state: 1 on, 0 off, -1 unknown (no EFI variables). */
static int secure_boot(void)
{
	size_t len;
	u8 *data;
	int on;

	if (load(SECURE_BOOT, &data, &len, 64))
		return -1;
	on = len >= 5 ? data[4] == 1 : -1;	/* 4 bytes of attributes, then the value */
	free(data);
	return on;
}

/* gpuhelper.ko for the running kernel, where DKMS or make install put it */
static int find_module(const char *rel, char *abs, size_t len, bool *compressed)
{
	static const char *const where[] = { "updates/dkms", "extra", "updates", "kernel/extra" };
	static const char *const ext[] = { "", ".xz", ".zst", ".gz" };
	size_t i, j;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		for (j = 0; j < sizeof(ext) / sizeof(ext[0]); j++) {
			snprintf(abs, len, "/lib/modules/%s/%s/gpuhelper.ko%s", rel, where[i], ext[j]);
			if (gh_exists(abs)) {
				*compressed = j > 0;
				return 0;
			}
		}
	return -ENOENT;
}

/* The signer is in MokListRT (the MOK list shim hands the kernel)? */
static bool enrolled(const struct gh_modsig *s)
{
	const u8 *cert;
	size_t len, clen;
	u8 *list;
	bool in;

	if (load(MOK_LIST_RT, &list, &len, 1U << 20))
		return false;
	in = len > 4 && gh_mok_list_has(list + 4, len - 4, s->sig, s->sig_len, &cert, &clen);
	free(list);
	return in;
}

static void check_signature(struct run *r, const struct gh_doctor_in *in)
{
	char ko[GH_PATH_MAX];
	struct gh_modsig s;
	bool comp, dkms_key = false;
	size_t len, plen;
	u8 *data, *pub;
	int sb = secure_boot();

	if (sb < 0) {
		say(r, "secure-boot", GH_CHECK_SKIP, NULL, "no EFI variables (a BIOS boot, or "
		    "efivarfs not mounted): Secure Boot does not apply");
		return;
	}
	say(r, "secure-boot", GH_CHECK_PASS, NULL, "Secure Boot is %s", sb ? "on: modules "
	    "load only when signed by a trusted key" : "off: the kernel loads unsigned modules");
	if (!in->kver_release || !in->kver_release[0] ||
	    find_module(in->kver_release, ko, sizeof(ko), &comp)) {
		say(r, "module-signature", sb ? GH_CHECK_FAIL : GH_CHECK_SKIP,
		    "make install-dkms && dkms install gpuhelper/VERSION (or the gpuhelper-dkms "
		    "package)", "no gpuhelper.ko installed for the running kernel %s",
		    in->kver_release && in->kver_release[0] ? in->kver_release : "(unknown)");
		return;
	}
	if (comp) {
		say(r, "module-signature", GH_CHECK_SKIP, NULL, "%s is compressed: see its "
		    "signer with modinfo -F signer %s", ko, ko);
		return;
	}
	if (load(ko, &data, &len, 256U << 20)) {
		say(r, "module-signature", GH_CHECK_SKIP, NULL, "%s cannot be read", ko);
		return;
	}
	gh_modsig_read(data, len, &s);
	if (!s.signed_) {
		say(r, "module-signature", sb ? GH_CHECK_FAIL : GH_CHECK_PASS, MOK_STEPS,
		    "%s is not signed%s", ko, sb ? ": with Secure Boot on the kernel refuses "
		    "to load it" : " (not needed with Secure Boot off)");
		free(data);
		return;
	}
	if (!load(DKMS_MOK_PUB, &pub, &plen, 64U << 10)) {
		dkms_key = gh_cert_signed(pub, plen, s.sig, s.sig_len);
		free(pub);
	}
	if (enrolled(&s))
		say(r, "module-signature", GH_CHECK_PASS, NULL, "%s is signed by %s, enrolled "
		    "in the MOK list", ko, dkms_key ? "DKMS's key " DKMS_MOK_PUB : "a key");
	else if (!sb)
		say(r, "module-signature", GH_CHECK_PASS, NULL, "%s is signed by %s, not in the "
		    "MOK list (not needed with Secure Boot off)", ko,
		    dkms_key ? "DKMS's key " DKMS_MOK_PUB : "a key");
	else
		say(r, "module-signature", GH_CHECK_FAIL, dkms_key ?
		    "mokutil --import " DKMS_MOK_PUB " (choose a one-time password), reboot, "
		    "and in MokManager pick Enroll MOK, Continue, Yes, that password" : MOK_STEPS,
		    "%s is signed by %s, which is not in the MOK list (%s): the kernel "
		    "refuses to load it", ko, dkms_key ? "DKMS's key " DKMS_MOK_PUB :
		    "a key other than DKMS's", MOK_LIST_RT);
	free(data);
}

/**
 * gh_doctor_vm_checks() - the checks of what the guest needs installed
 * @in: what doctor knows of the host
 * @emit: called once per check
 * @ctx: passed to @emit
 */
void gh_doctor_vm_checks(const struct gh_doctor_in *in, gh_check_emit emit, void *ctx)
{
	struct run r = { emit, ctx };

	check_hook(&r, in);
	check_udev(&r, in);
	check_ssdts(&r, in);
	check_gvt_rom(&r, in);
	check_mdev(&r, in);
	check_signature(&r, in);
}
