// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_hold_test.c - leaving vfio while userspace holds the device
 * (issue 3): a program opens /dev/vfio/N the way QEMU's legacy path does
 * (group, container, type1 IOMMU, device fd). gpuhelper must refuse with
 * EBUSY at once, change nothing, and succeed once the program lets go.
 */
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "gh_handoff.h"

static double gh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(vfio) {
	int group;
	int container;
	int device;
	char path[64];
};

FIXTURE_SETUP(vfio) {
	struct vfio_group_status status = { .argsz = sizeof(status) };

	self->group = self->container = self->device = -1;
	ASSERT_EQ(0, gh_system("modprobe vfio_iommu_type1"));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	ASSERT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	ASSERT_STREQ("vfio-pci", gh_driver(GH_AUDIO));

	snprintf(self->path, sizeof(self->path), "/dev/vfio/%d", gh_group_of(GH_DGPU));
	self->group = open(self->path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->group) TH_LOG("open %s: %s", self->path, strerror(errno));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &status));
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	self->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->container);
}

FIXTURE_TEARDOWN(vfio) {
	if (self->device >= 0)
		close(self->device);
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
	if (!gh_back_to_stub())
		TH_LOG("could not put the dGPU back to stub");
}

static void hold(struct __test_metadata *_metadata, FIXTURE_DATA(vfio) *self)
{
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
}

static void expect_refused_fast(struct __test_metadata *_metadata,
				const char *target)
{
	int mark = gh_kmsg_mark();
	double t0 = gh_now();

	EXPECT_EQ(-EBUSY, gh_set_state(GH_DGPU, target));
	EXPECT_GT(1.0, gh_now() - t0);
	EXPECT_TRUE(gh_kmsg_since(mark, "in use: IOMMU group"));
	EXPECT_STREQ("vfio", gh_state(GH_DGPU));
	EXPECT_STREQ("vfio", gh_state(GH_AUDIO));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
	EXPECT_STREQ("vfio-pci", gh_override(GH_DGPU));
}

TEST_F(vfio, leaving_refused_while_group_has_container_and_iommu)
{
	hold(_metadata, self);
	expect_refused_fast(_metadata, "stub");
	expect_refused_fast(_metadata, "host");
	EXPECT_NE(NULL, strstr(gh_blockers_of(GH_DGPU), "held by userspace"));
}

TEST_F(vfio, leaving_refused_without_blocking_while_device_fd_open)
{
	hold(_metadata, self);
	self->device = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, GH_DGPU);
	ASSERT_LE(0, self->device);
	/* had gpuhelper unbound vfio-pci now, the write would hang */
	expect_refused_fast(_metadata, "stub");
}

TEST_F(vfio, leaving_succeeds_once_the_holder_closes)
{
	hold(_metadata, self);
	self->device = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, GH_DGPU);
	ASSERT_LE(0, self->device);
	ASSERT_EQ(-EBUSY, gh_set_state(GH_DGPU, "stub"));

	close(self->device);
	close(self->group);
	close(self->container);
	self->device = self->group = self->container = -1;
	EXPECT_STREQ("", gh_blockers_of(GH_DGPU));
	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
}

TEST_F(vfio, group_open_without_container_does_not_hold)
{
	/* nothing owns the group's DMA yet: leaving is safe and immediate */
	double t0 = gh_now();

	ASSERT_EQ(0, gh_set_state(GH_DGPU, "stub"));
	EXPECT_GT(1.0, gh_now() - t0);
	EXPECT_STREQ("gpuhelper", gh_driver(GH_DGPU));
	EXPECT_STREQ("gpuhelper", gh_driver(GH_AUDIO));
}

/*
 * The audio function alone on vfio-pci, held by a VM; the dGPU then
 * follows it to vfio. The audio function is already where the hand-off
 * wants it: gpuhelper must leave it bound (unbinding it would wait on the
 * VM) and move only the dGPU; taking both back out is refused.
 */
TEST(dgpu_joins_audio_held_by_a_vm_without_touching_it)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int group, container, device;
	char path[64];
	double t0;

	ASSERT_TRUE(gh_back_to_stub());
	ASSERT_EQ(0, gh_system("modprobe vfio_iommu_type1"));
	ASSERT_EQ(0, gh_set_state(GH_AUDIO, "vfio"));
	ASSERT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
	ASSERT_STREQ("gpuhelper", gh_driver(GH_DGPU));

	snprintf(path, sizeof(path), "/dev/vfio/%d", gh_group_of(GH_AUDIO));
	group = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, group);
	ASSERT_EQ(0, ioctl(group, VFIO_GROUP_GET_STATUS, &status));
	/* gpuhelper does no DMA (driver_managed_dma): the group stays viable */
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, container);
	ASSERT_EQ(0, ioctl(group, VFIO_GROUP_SET_CONTAINER, &container));
	ASSERT_EQ(0, ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, GH_AUDIO);
	ASSERT_LE(0, device);

	t0 = gh_now();
	EXPECT_EQ(0, gh_set_state(GH_DGPU, "vfio"));
	EXPECT_GT(1.0, gh_now() - t0);
	EXPECT_STREQ("vfio-pci", gh_driver(GH_DGPU));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));
	EXPECT_STREQ("vfio", gh_state(GH_DGPU));
	EXPECT_EQ(-EBUSY, gh_set_state(GH_DGPU, "stub"));
	EXPECT_STREQ("vfio-pci", gh_driver(GH_AUDIO));

	close(device);
	close(group);
	close(container);
	EXPECT_TRUE(gh_back_to_stub());
}

TEST_HARNESS_MAIN
