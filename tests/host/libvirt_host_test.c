// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_host_test.c - the host's libvirt as gpuhelper vm reads it: the
 * domain capabilities of Debian 12's libvirt 9.0 with QEMU 7.2 (recorded
 * with virsh domcapabilities --machine q35 --virttype kvm), and what the
 * plan does with them and with the versions.
 */
#include "kselftest_harness.h"
#include "pci/arch.h"
#include "lib/fileio.h"
#include "domain/libvirt_host.h"
#include "pci/pcisnap.h"
#include "lib/root.h"
#include "domain/vmplan.h"

#define DOMCAPS GH_TOP "/tests/fixtures/domains/domcaps-9.0-q35-kvm.xml"

static void read_domcaps(struct __test_metadata *_metadata, struct gh_libvirt_host *h)
{
	unsigned char *buf;
	size_t len;

	memset(h, 0, sizeof(*h));
	ASSERT_EQ(0, gh_read_file(DOMCAPS, &buf, &len, 1 << 20));
	ASSERT_EQ(0, gh_libvirt_domcaps_parse((const char *)buf, len, h));
	free(buf);
	snprintf(h->uri, sizeof(h->uri), "test:///fixture");
}

TEST(domcaps_firmware_machine_hostdev)
{
	struct gh_libvirt_host h;

	read_domcaps(_metadata, &h);
	EXPECT_TRUE(h.have_domcaps);
	EXPECT_STREQ("pc-q35-7.2", h.machine);
	EXPECT_TRUE(h.efi);
	EXPECT_EQ(3, h.nr_loaders);
	EXPECT_TRUE(h.secure_boot);
	EXPECT_TRUE(h.insecure);
	EXPECT_TRUE(h.hostdev_pci);
	/* the NVIDIA guest needs no Secure Boot: the plain build is chosen */
	EXPECT_STREQ("/usr/share/OVMF/OVMF_CODE_4M.fd", gh_libvirt_plain_ovmf(&h));
}

TEST(domcaps_not_a_domcaps_document)
{
	struct gh_libvirt_host h = { 0 };
	static const char dom[] = "<domain type='kvm'/>";

	EXPECT_EQ(-EINVAL, gh_libvirt_domcaps_parse(dom, sizeof(dom) - 1, &h));
	EXPECT_FALSE(h.have_domcaps);
}

/* the version names the capability to delete for -set lines */
TEST(json_device_capability_by_version)
{
	EXPECT_EQ(NULL, gh_libvirt_json_cap(GH_LIBVIRT(7, 8) + 999));
	EXPECT_STREQ("device.json", gh_libvirt_json_cap(GH_LIBVIRT(7, 9)));
	EXPECT_STREQ("device.json", gh_libvirt_json_cap(GH_LIBVIRT(8, 0) + 1));
	EXPECT_STREQ("device.json+hotplug", gh_libvirt_json_cap(GH_LIBVIRT(8, 1)));
}

FIXTURE(plan) {
	struct gh_pci snap;
	struct gh_topology t;
	struct gh_libvirt_host h;
	struct gh_vm_opts o;
	struct gh_vm_plan p;
	char why[512];
};

FIXTURE_SETUP(plan)
{
	gh_pci_root_set(GH_TOP "/userspace/profiles/r720");
	ASSERT_EQ(0, gh_pci_scan(&self->snap));
	ASSERT_EQ(0, gh_topology_build(&self->t, &self->snap, NULL));
	read_domcaps(_metadata, &self->h);
	memset(&self->o, 0, sizeof(self->o));
	self->o.gvt = -1;
	self->o.host = &self->h;
}

FIXTURE_TEARDOWN(plan)
{
	gh_pci_free(&self->snap);
	gh_pci_root_set(NULL);
}

TEST_F(plan, the_hosts_version_is_the_target)
{
	self->h.lib_version = GH_LIBVIRT(8, 0) + 3;
	ASSERT_EQ(0, gh_vm_plan_make(&self->p, &self->o, &self->t, self->why, sizeof(self->why)));
	EXPECT_EQ(GH_LIBVIRT(8, 0) + 3, self->p.libvirt);
	/* --libvirt wins */
	self->o.libvirt = GH_LIBVIRT(9, 0);
	ASSERT_EQ(0, gh_vm_plan_make(&self->p, &self->o, &self->t, self->why, sizeof(self->why)));
	EXPECT_EQ(GH_LIBVIRT(9, 0), self->p.libvirt);
}

TEST_F(plan, no_pci_hostdev_refuses_the_dgpu)
{
	self->h.hostdev_pci = false;
	EXPECT_EQ(-ENODEV, gh_vm_plan_make(&self->p, &self->o, &self->t, self->why,
					   sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "cannot pass PCI devices through"));
	/* a guest without the dGPU needs none */
	self->o.no_dgpu = true;
	EXPECT_EQ(0, gh_vm_plan_make(&self->p, &self->o, &self->t, self->why, sizeof(self->why)));
}

TEST_F(plan, no_uefi_firmware_is_refused)
{
	self->h.efi = false;
	self->h.nr_loaders = 0;
	EXPECT_EQ(-ENOENT, gh_vm_plan_make(&self->p, &self->o, &self->t, self->why,
					   sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "install OVMF"));
}

TEST_HARNESS_MAIN
