// SPDX-License-Identifier: GPL-2.0
/*
 * gh_fake_gvt.c - test-only stand-in for i915's GVT-g mdev parent.
 *
 * The test guest has no Intel iGPU, so this module binds a PCI driver
 * named "i915" to the guest's boot VGA (1234:1111 at 00:02.0) and, in its
 * probe, registers an mdev parent with the real mdev core, exactly as
 * kvmgt does on an i915 device: the type directories therefore read
 * "i915-GVTg_V5_4" and "i915-GVTg_V5_8", with i915's description format.
 * Each mdev is a minimal emulated-IOMMU vfio device (as samples/vfio-mdev
 * mtty does), so it gets an IOMMU group like a real vGPU.
 *
 * Parameters make the failure paths reachable from the tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>

/**
 * struct fake_type - one vGPU type, as i915's struct intel_vgpu_type
 * @type: the mdev core's type, embedded
 * @desc: what description shows, in i915's format
 * @max: instances this type can have
 * @used: instances in use, under fake_lock
 */
struct fake_type {
	struct mdev_type type;
	const char *desc;
	unsigned int max;
	unsigned int used;
};

static struct fake_type fake_types[] = {
	{
		.type.sysfs_name = "GVTg_V5_4",
		.type.pretty_name = "GVTg_V5_4",
		.desc = "low_gm_size: 128MB\nhigh_gm_size: 384MB\nfence: 4\n"
			"resolution: 1920x1200\nweight: 4",
		.max = 2,
	},
	{
		.type.sysfs_name = "GVTg_V5_8",
		.type.pretty_name = "GVTg_V5_8",
		.desc = "low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\n"
			"resolution: 1024x768\nweight: 2",
		.max = 4,
	},
};

static struct mdev_type *fake_mdev_types[] = {
	&fake_types[0].type,
	&fake_types[1].type,
};

static DEFINE_MUTEX(fake_lock);
static struct mdev_parent fake_parent;

struct fake_vgpu {
	struct vfio_device vdev;
	struct fake_type *type;
};

static struct fake_type *to_fake_type(struct mdev_type *mtype)
{
	return container_of(mtype, struct fake_type, type);
}

#ifdef GH_FAKE_VFIO_FREE_DEVICE
static void fake_release_dev(struct vfio_device *vdev)
{
	vfio_free_device(vdev);
}

#define FAKE_RELEASE	fake_release_dev
#else
#define FAKE_RELEASE	NULL
#endif /* GH_FAKE_VFIO_FREE_DEVICE */

static const struct vfio_device_ops fake_dev_ops = {
	.name		= "gh-fake-vgpu",
	.release	= FAKE_RELEASE,
};

static int fake_probe(struct mdev_device *mdev)
{
	struct fake_type *type = to_fake_type(mdev->type);
	struct fake_vgpu *vgpu;
	int ret;

	mutex_lock(&fake_lock);
	if (type->used == type->max) {
		mutex_unlock(&fake_lock);
		return -ENOSPC;
	}
	type->used++;
	mutex_unlock(&fake_lock);

	vgpu = vfio_alloc_device(fake_vgpu, vdev, &mdev->dev, &fake_dev_ops);
	if (IS_ERR(vgpu)) {
		ret = PTR_ERR(vgpu);
		goto err_unuse;
	}
	vgpu->type = type;

	ret = vfio_register_emulated_iommu_dev(&vgpu->vdev);
	if (ret)
		goto err_put;
	dev_set_drvdata(&mdev->dev, vgpu);
	return 0;

err_put:
	vfio_put_device(&vgpu->vdev);
err_unuse:
	mutex_lock(&fake_lock);
	type->used--;
	mutex_unlock(&fake_lock);
	return ret;
}

static void fake_remove(struct mdev_device *mdev)
{
	struct fake_vgpu *vgpu = dev_get_drvdata(&mdev->dev);
	struct fake_type *type = vgpu->type;

	vfio_unregister_group_dev(&vgpu->vdev);
	vfio_put_device(&vgpu->vdev);
	mutex_lock(&fake_lock);
	type->used--;
	mutex_unlock(&fake_lock);
}

static unsigned int fake_get_available(struct mdev_type *mtype)
{
	struct fake_type *type = to_fake_type(mtype);
	unsigned int avail;

	mutex_lock(&fake_lock);
	avail = type->max - type->used;
	mutex_unlock(&fake_lock);
	return avail;
}

static ssize_t fake_show_description(struct mdev_type *mtype, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_fake_type(mtype)->desc);
}

static struct mdev_driver fake_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "gh_fake_vgpu",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = fake_probe,
	.remove = fake_remove,
	.get_available = fake_get_available,
	.show_description = fake_show_description,
};

static int fake_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = mdev_register_parent(&fake_parent, &pdev->dev, &fake_mdev_driver,
				   fake_mdev_types, ARRAY_SIZE(fake_mdev_types));
	if (ret)
		pci_err(pdev, "cannot register the fake GVT-g parent: %d\n", ret);
	return ret;
}

static void fake_pci_remove(struct pci_dev *pdev)
{
	mdev_unregister_parent(&fake_parent);
}

/* QEMU's stdvga, the guest's boot VGA at 00:02.0 */
static const struct pci_device_id fake_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x1111) },
	{ }
};
MODULE_DEVICE_TABLE(pci, fake_pci_ids);

/* Named like the real driver, so the mdev core names the types i915-*. */
static struct pci_driver fake_pci_driver = {
	.name		= "i915",
	.id_table	= fake_pci_ids,
	.probe		= fake_pci_probe,
	.remove		= fake_pci_remove,
};

static int __init fake_init(void)
{
	int ret;

	ret = mdev_register_driver(&fake_mdev_driver);
	if (ret)
		return ret;
	ret = pci_register_driver(&fake_pci_driver);
	if (ret)
		mdev_unregister_driver(&fake_mdev_driver);
	return ret;
}

static void __exit fake_exit(void)
{
	pci_unregister_driver(&fake_pci_driver);
	mdev_unregister_driver(&fake_mdev_driver);
}

module_init(fake_init);
module_exit(fake_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gpuhelper tests: fake i915 GVT-g mdev parent on the guest's VGA");
