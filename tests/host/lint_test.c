// SPDX-License-Identifier: GPL-2.0
/*
 * lint_test.c - every lint rule passes on a good domain and fails, alone,
 * on a domain with exactly that pitfall. Good domains: what gpuhelper vm
 * generates for the r720 profile, and the seed guide's final XML (which
 * passes everything for a libvirt older than JSON -device).
 *
 * The tables the domains load are real files under a temporary root,
 * written by the project's own acpi vbios/battery code, with hostile
 * variants beside them; the host's PCI devices are the r720 profile's.
 */
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "kselftest_harness.h"
#include "acpi/acpi_tables.h"
#include "pci/arch.h"
#include "domain/domain.h"
#include "domain/lint.h"
#include "pci/pcisnap.h"
#include "lib/root.h"
#include "domain/vmplan.h"
#include "../lib/romgen.h"

#define SEED_FILE GH_TOP "/tests/fixtures/domains/seed-win10.xml"
#define R720 GH_TOP "/userspace/profiles/r720"
#define V(maj, min) GH_LIBVIRT(maj, min)

enum base { GEN, SEED, GEN_RAW, GEN_80, GEN_LG, GEN_KVMFR, GEN_INSTALL };

#define KBD "/dev/input/by-id/usb-kbd-event-kbd"
#define MOUSE "/dev/input/by-id/usb-mouse-event-mouse"

/* the display options of the GEN_LG, GEN_KVMFR and GEN_INSTALL domains */
static const struct gh_display_opts display_lg = {
	.stage = -1, .looking_glass = true, .evdev = true, .evdev_devs = KBD "," MOUSE,
};
static const struct gh_display_opts display_kvmfr = {
	.stage = -1, .looking_glass = true, .kvmfr = true, .lg_xres = 2560, .lg_yres = 1440,
};
static const struct gh_display_opts display_install = {
	.stage = GH_STAGE_INSTALL, .looking_glass = true,
};

static char *generated_with(unsigned int libvirt, const struct gh_display_opts *d)
{
	struct gh_vm_opts o = { .gvt = -1, .libvirt = libvirt };
	struct gh_topology t;
	struct gh_vm_plan p;
	struct gh_pci snap;
	char why[256], *text = NULL, *copy;
	size_t len;
	xmlDocPtr doc;

	if (d)
		o.display = *d;
	gh_pci_root_set(R720);
	if (gh_pci_scan(&snap) || gh_topology_build(&t, &snap, NULL) ||
	    gh_vm_plan_make(&p, &o, &t, why, sizeof(why)))
		return NULL;
	doc = gh_domain_base(&p);
	gh_domain_apply(doc, &p);
	gh_domain_format(doc, &text, &len);
	copy = strdup(text);
	xmlFree(text);
	xmlFreeDoc(doc);
	gh_pci_free(&snap);
	return copy;
}

static char *generated(unsigned int libvirt)
{
	return generated_with(libvirt, NULL);
}

static char root_dir[] = "/tmp/gh-lint-XXXXXX";
static pid_t root_owner;

static void put(const char *rel, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root_dir, rel);
	f = fopen(path, "w");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void put_vbios_set(const char *dir, const u8 *rom, size_t len)
{
	struct gh_acpi_table *t;
	unsigned int nr, i;
	char rel[256];

	if (gh_acpi_vbios_build(rom, len, GH_ACPI_VBIOS_PATH_DEFAULT, 0, GH_ACPI_AML, &t, &nr))
		return;
	for (i = 0; i < nr; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", dir, t[i].file);
		put(rel, t[i].data, t[i].len);
	}
	/* a valid SSDT that is no battery, under a name that is no vBIOS one */
	put("/var/lib/gpuhelper/ssdt-other.aml", t[nr - 1].data, t[nr - 1].len);
	gh_acpi_tables_free(t, nr);
	free(t);
}

/*
 * The root every test lints under: /var/lib/gpuhelper as gpuhelper vm
 * wants it, the seed's /ssdt1.dat, and the hostile tables.
 */
__attribute__((constructor)) static void make_root(void)
{
	static const char *const dirs[] = { "/var", "/var/lib", "/var/lib/gpuhelper",
					    "/etc", "/junk", "/dev", "/dev/input",
					    "/dev/input/by-id" };
	static u8 rom[20 * 1024];
	struct gh_acpi_table bat;
	char path[512];
	unsigned int i;
	FILE *f;

	if (!mkdtemp(root_dir))
		return;
	root_owner = getpid();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root_dir, dirs[i]);
		mkdir(path, 0755);
	}
	romgen_standard(rom, sizeof(rom), 12 * 1024, 0x10de, 0x1c8d, 7);
	put_vbios_set("/var/lib/gpuhelper", rom, sizeof(rom));
	if (gh_acpi_battery_build(GH_ACPI_AML, &bat))
		return;
	put("/var/lib/gpuhelper/ssdt-battery.aml", bat.data, bat.len);
	put("/ssdt1.dat", bat.data, bat.len);
	put(KBD, "", 0);
	put(MOUSE, "", 0);
	put("/var/lib/gpuhelper/ssdt-dup-00.aml", bat.data, bat.len);
	put("/var/lib/gpuhelper/ssdt-dup-rom.aml", bat.data, bat.len);
	bat.data[9]++;				/* the checksum byte */
	put("/var/lib/gpuhelper/bad-csum.aml", bat.data, bat.len);
	bat.data[9]--;
	bat.data[4]++;				/* the length field */
	bat.data[9]--;				/* keep the sum 0: only the length lies */
	put("/var/lib/gpuhelper/bad-len.aml", bat.data, bat.len);
	gh_acpi_tables_free(&bat, 1);
	/* not a vBIOS: the tables are well formed, the chain is not */
	memset(rom, 0x5a, sizeof(rom));
	put_vbios_set("/junk", rom, sizeof(rom));
	f = fopen("/etc/passwd", "r");
	if (f) {
		char buf[4096];
		size_t n = fread(buf, 1, sizeof(buf), f);

		fclose(f);
		put("/etc/passwd", buf, n);
	}
	gh_root_set(root_dir);
	gh_pci_root_set(R720);
}

__attribute__((destructor)) static void remove_root(void)
{
	char cmd[600];

	if (root_owner != getpid())
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root_dir);
	if (system(cmd))
		return;
}

static char *seed(void)
{
	FILE *f = fopen(SEED_FILE, "r");
	static char buf[65536];
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* Replace every @from in @s by @to. */
static char *replace(const char *s, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)); p += lf)
		n++;
	out = malloc(strlen(s) + n * (lt + 1) + 1);
	for (o = out; (p = strstr(s, from)); s = p + lf) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, to, lt);
		o += lt;
	}
	strcpy(o, s);
	return out;
}

static unsigned int lint_text(const char *text, unsigned int libvirt,
			      struct gh_lint_result *res)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "t.xml", NULL,
				      XML_PARSE_NOBLANKS | XML_PARSE_NONET);
	unsigned int failed;

	if (!doc)
		return 999;
	failed = gh_lint(doc, libvirt, res);
	xmlFreeDoc(doc);
	return failed;
}

static const struct gh_lint_result *find(struct gh_lint_result *res, const char *id)
{
	unsigned int i;

	for (i = 0; i < gh_lint_nr_rules; i++)
		if (!strcmp(res[i].id, id))
			return &res[i];
	return NULL;
}

FIXTURE(pitfall) {
	char *good;
	char *bad;
};

FIXTURE_VARIANT(pitfall) {
	const char *rule;
	enum base base;
	unsigned int libvirt;
	const char *from, *to;	/* the pitfall, as an edit of the good domain */
	const char *element;	/* part of the offending element's XPath */
	const char *also;	/* a rule the same edit breaks as well */
};

#define PIT(n, r, b, lv, f, t, e, ...) FIXTURE_VARIANT_ADD(pitfall, n) { \
	.rule = r, .base = b, .libvirt = lv, .from = f, .to = t, .element = e, \
	__VA_ARGS__ }

PIT(i440fx_machine, "GH001", GEN, V(9, 0), "machine=\"q35\"", "machine=\"pc-i440fx-7.2\"", "/os/type");
PIT(seabios, "GH002", GEN, V(9, 0), "type=\"pflash\"", "type=\"rom\"", "/domain/os");
PIT(no_vendor_id, "GH003", GEN, V(9, 0), "<vendor_id state=\"on\" value=\"GenuineIntel\"/>", "", "/features");
PIT(kvm_visible, "GH004", GEN, V(9, 0), "<hidden state=\"on\"/>", "<hidden state=\"off\"/>", "/kvm/hidden");
PIT(vmport_on, "GH005", GEN, V(9, 0), "<vmport state=\"off\"/>", "<vmport state=\"on\"/>", "/vmport");
/* the vBIOS tables' _ROM is then at another ACPI path, too */
PIT(root_port_at_1c, "GH006", GEN, V(9, 0), "slot=\"0x01\" function=\"0x0\" multifunction", "slot=\"0x1c\" function=\"0x0\" multifunction", "/controller",
    .also = "GH021");
PIT(seed_root_port_at_1c, "GH006", SEED, V(7, 0), "slot='0x01' function='0x0' multifunction", "slot='0x1c' function='0x0' multifunction", "/controller");
PIT(dgpu_at_02, "GH006", GEN, V(9, 0), "bus=\"0x01\" slot=\"0x00\" function=\"0x0\" multifunction", "bus=\"0x01\" slot=\"0x02\" function=\"0x0\" multifunction", "/hostdev",
    .also = "GH021");
PIT(rom_bar_on, "GH007", GEN, V(9, 0), "<rom bar=\"off\"/>", "", "/hostdev");
PIT(no_subsys_override, "GH008", GEN, V(9, 0), "name=\"x-pci-sub-vendor-id\"", "name=\"x-pci-vendor-idx\"", "/hostdev");
PIT(seed_subsys_on_the_mdev, "GH008", SEED, V(7, 0), "device.hostdev1.x-pci-sub-device-id", "device.hostdev0.x-pci-sub-device-id", "/hostdev");
PIT(no_battery_ssdt, "GH009", GEN, V(9, 0), "file=/var/lib/gpuhelper/ssdt-battery.aml", "file=/var/lib/gpuhelper/ssdt-vbios-00.aml", "/domain");
PIT(battery_as_slic, "GH010", GEN, V(9, 0), "</os>", "<acpi><table type=\"slic\">/var/lib/gpuhelper/ssdt-battery.aml</table></acpi></os>", "/acpi/table");
PIT(no_vbios_ssdt, "GH011", GEN, V(9, 0), "ssdt-vbios-", "ssdt-dup-", "/domain/os");
PIT(seed_set_lines_on_9_0, "GH012", SEED, V(9, 0), "", "", "qemu:arg");
/* libvirt reads every <qemu:commandline>: lint must too */
PIT(seed_set_lines_in_a_second_block, "GH012", SEED, V(9, 0), "<qemu:commandline>",
    "<qemu:commandline/><qemu:commandline>", "qemu:arg");
PIT(override_hex_unsigned, "GH013", GEN, V(9, 0), "value=\"6058\"", "value=\"0x17aa\"", "qemu:property");
PIT(override_without_ua, "GH013", GEN, V(9, 0), "<qemu:device alias=\"ua-gpuhelper-dgpu\">", "<qemu:device alias=\"hostdev1\">", "qemu:device",
    .also = "GH008");
PIT(override_alias_on_no_device, "GH013", GEN, V(9, 0), "<alias name=\"ua-gpuhelper-dgpu\"/>", "<alias name=\"ua-other\"/>", "qemu:device",
    .also = "GH008");
PIT(override_on_8_1, "GH013", GEN, V(8, 1), "", "", "qemu:override");
PIT(raw_tables_on_9_0, "GH014", GEN_RAW, V(9, 0), "", "", "/acpi/table");
/* 7.9 to 8.1: -set lines work only with the JSON -device capability taken away */
PIT(set_lines_on_8_0_without_capability_del, "GH012", GEN_80, V(8, 0),
    "<qemu:del capability=\"device.json\"/>", "", "qemu:arg");
PIT(set_lines_on_8_1_deleting_the_8_0_name, "GH012", GEN_80, V(8, 1), "", "", "qemu:arg");
PIT(capability_8_1_knows_on_8_0, "GH019", GEN_80, V(8, 0), "capability=\"device.json\"",
    "capability=\"device.json+hotplug\"", "qemu:del", .also = "GH012");
PIT(gvt_without_gl, "GH015", GEN, V(9, 0), "<gl enable=\"yes\"/>", "", "/hostdev");
PIT(gvt_without_ramfb, "GH016", GEN, V(9, 0), " ramfb=\"on\"", "", "/hostdev");
PIT(gvt_without_opregion, "GH017", GEN, V(9, 0), "name=\"x-igd-opregion\"", "name=\"x-igd-gms\"", "/hostdev");
PIT(gvt_with_qxl, "GH018", GEN, V(9, 0), "<model type=\"none\"/>", "<model type=\"qxl\"/>", "/video");
/* the tables' contents (issue 16): files written by acpi vbios/battery, then broken */
PIT(table_bad_checksum, "GH020", GEN, V(9, 0), "ssdt-battery.aml", "bad-csum.aml", "qemu:arg");
PIT(table_wrong_length, "GH020", GEN, V(9, 0), "ssdt-battery.aml", "bad-len.aml", "qemu:arg");
PIT(raw_table_bad_checksum, "GH020", GEN_RAW, V(11, 2), "ssdt-battery.aml", "bad-csum.aml", "/acpi/table");
PIT(table_missing_file, "GH020", GEN, V(9, 0), "ssdt-vbios-rom.aml", "ssdt-vbios-gone.aml", "qemu:arg",
    .also = "GH021");
PIT(etc_passwd_as_battery, "GH020", GEN, V(9, 0), "/var/lib/gpuhelper/ssdt-battery.aml", "/etc/passwd", "qemu:arg",
    .also = "GH023");
/* what gpuhelper vm listed before acpi vbios ran: the data, no _ROM (Code 43) */
PIT(vbios_set_without_rom_table, "GH021", GEN, V(9, 0), "file=/var/lib/gpuhelper/ssdt-vbios-rom.aml",
    "file=/var/lib/gpuhelper/ssdt-vbios-00.aml", "/domain/os");
PIT(vbios_chunks_not_a_vbios, "GH022", GEN, V(9, 0), "/var/lib/gpuhelper/ssdt-vbios-", "/junk/ssdt-vbios-", "qemu:arg");
PIT(battery_table_is_a_vbios_one, "GH023", GEN, V(9, 0), "file=/var/lib/gpuhelper/ssdt-battery.aml",
    "file=/var/lib/gpuhelper/ssdt-other.aml", "qemu:arg");
PIT(subsystem_ids_not_the_hosts, "GH024", GEN, V(9, 0), "value=\"14801\"", "value=\"1\"", "/hostdev");
/* ramfb and xres/yres stay: the final stage's settings on a display='off' vGPU */
PIT(gvt_display_off_no_video, "GH025", GEN, V(9, 0), " display=\"on\"", " display=\"off\"", "/hostdev",
    .also = "GH028");
/* the screen and input (issue 18) */
PIT(lg_shmem_too_small, "GH026", GEN_LG, V(9, 0), "<size unit=\"M\">32</size>", "<size unit=\"M\">16</size>", "/shmem");
PIT(lg_shmem_one_byte_short, "GH026", GEN_LG, V(9, 0), "<size unit=\"M\">32</size>", "<size>33554431</size>", "/shmem");
PIT(lg_shmem_decimal_megabytes, "GH026", GEN_LG, V(9, 0), "<size unit=\"M\">32</size>", "<size unit=\"MB\">33</size>", "/shmem");
PIT(lg_resolution_raised, "GH026", GEN_LG, V(9, 0), "looking-glass=\"1920x1080\"", "looking-glass=\"2560x1440\"", "/shmem");
PIT(lg_kvmfr_too_small, "GH026", GEN_KVMFR, V(9, 0), "size=64M", "size=32M", "qemu:arg");
PIT(evdev_keyboard_gone, "GH027", GEN_LG, V(9, 0), "usb-kbd-event-kbd", "usb-gone-event-kbd", "/input[2]/source");
PIT(evdev_mouse_gone, "GH027", GEN_LG, V(9, 0), "usb-mouse-event-mouse", "usb-gone-event-mouse", "/input[3]/source");
PIT(install_stage_with_ramfb, "GH028", GEN_INSTALL, V(9, 0), " display=\"off\"", " display=\"off\" ramfb=\"on\"", "/hostdev");
PIT(install_stage_with_xres, "GH028", GEN_INSTALL, V(9, 0), "<qemu:property name=\"x-igd-opregion\" type=\"bool\" value=\"true\"/>",
    "<qemu:property name=\"x-igd-opregion\" type=\"bool\" value=\"true\"/><qemu:property name=\"xres\" type=\"unsigned\" value=\"1920\"/>",
    "/hostdev");
PIT(install_stage_with_spice_gl, "GH028", GEN_INSTALL, V(9, 0), "<listen type=\"none\"/>", "<listen type=\"none\"/><gl enable=\"yes\"/>", "/graphics");
/* the guide's pc-q35-4.2: no ACPI device behind the root port for _ROM */
PIT(vbios_tables_on_q35_4_2, "GH029", GEN, V(9, 0), "machine=\"q35\"", "machine=\"pc-q35-4.2\"", "/os/type");
PIT(vbios_tables_on_q35_6_0, "GH029", GEN, V(9, 0), "machine=\"q35\"", "machine=\"pc-q35-6.0\"", "/os/type");

FIXTURE_SETUP(pitfall)
{
	switch (variant->base) {
	case GEN:	self->good = generated(V(9, 0)); break;
	case GEN_RAW:	self->good = generated(V(11, 2)); break;
	case GEN_80:	self->good = generated(V(8, 0)); break;
	case SEED:	self->good = seed(); break;
	case GEN_LG:	self->good = generated_with(V(9, 0), &display_lg); break;
	case GEN_KVMFR:	self->good = generated_with(V(9, 0), &display_kvmfr); break;
	case GEN_INSTALL: self->good = generated_with(V(9, 0), &display_install); break;
	}
	ASSERT_NE(NULL, self->good);
	self->bad = *variant->from ? replace(self->good, variant->from, variant->to) :
				     strdup(self->good);
	if (*variant->from)
		ASSERT_NE(NULL, strstr(self->good, variant->from));
}

FIXTURE_TEARDOWN(pitfall)
{
	free(self->good);
	free(self->bad);
}

/*
 * The good domains the pitfalls are edits of: generated for libvirt 9.0
 * (<qemu:override>) and for 11.2 (raw ACPI tables); the seed's own is
 * checked below. Each passes every rule once, not once per pitfall; so
 * does what gpuhelper vm writes for every other generation (-set lines,
 * with the JSON -device capability deleted from 7.9 to 8.1): vm and lint
 * agree on every target.
 */
TEST(generated_domains_pass_every_rule)
{
	static const unsigned int versions[] = { V(7, 8), V(7, 9), V(8, 0), V(8, 1),
						 V(8, 2), V(9, 0), V(11, 2) };
	struct gh_lint_result res[64];
	unsigned int v, i;

	for (v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		char *good = generated(versions[v]);

		ASSERT_NE(NULL, good);
		EXPECT_EQ(0, lint_text(good, versions[v], res));
		for (i = 0; i < gh_lint_nr_rules; i++)
			if (res[i].status == GH_LINT_FAIL)
				TH_LOG("libvirt %u.%u: %s %s", versions[v] / 1000000,
				       versions[v] / 1000 % 1000, res[i].id, res[i].message);
		free(good);
	}
}

/*
 * Both stages, Looking Glass in both forms, evdev: each passes every rule,
 * and the display rules judge (pass), they do not skip.
 */
TEST(generated_display_domains_pass_every_rule)
{
	static const struct {
		const struct gh_display_opts *d;
		const char *judged[3];
	} cases[] = {
		{ &display_lg, { "GH026", "GH027" } },
		{ &display_kvmfr, { "GH026" } },
		{ &display_install, { "GH026", "GH028", "GH025" } },
	};
	struct gh_lint_result res[64];
	unsigned int c, i;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *good = generated_with(V(9, 0), cases[c].d);

		ASSERT_NE(NULL, good);
		EXPECT_EQ(0, lint_text(good, V(9, 0), res));
		for (i = 0; i < gh_lint_nr_rules; i++)
			if (res[i].status == GH_LINT_FAIL)
				TH_LOG("case %u: %s %s", c, res[i].id, res[i].message);
		for (i = 0; i < 3 && cases[c].judged[i]; i++)
			EXPECT_EQ(GH_LINT_PASS, find(res, cases[c].judged[i])->status)
				TH_LOG("case %u: %s", c, cases[c].judged[i]);
		free(good);
	}
}

/* No resolution recorded and no vGPU: the size is not judged, and it says so. */
TEST(ivshmem_size_skipped_without_a_resolution)
{
	struct gh_lint_result res[64];
	const struct gh_lint_result *r;
	char *good = generated_with(V(9, 0), &display_lg), *bad;

	ASSERT_NE(NULL, good);
	bad = replace(good, "looking-glass=\"1920x1080\"", "other=\"1\"");
	free(good);
	good = replace(bad, "name=\"yres\"", "name=\"x-yres\"");
	lint_text(good, V(9, 0), res);
	r = find(res, "GH026");
	EXPECT_EQ(GH_LINT_NA, r->status);
	EXPECT_NE(NULL, strstr(r->message, "not checked")) TH_LOG("%s", r->message);
	free(bad);
	free(good);
}

TEST_F(pitfall, pitfall_fails_that_rule_only)
{
	struct gh_lint_result res[64];
	const struct gh_lint_result *r;
	unsigned int i;

	EXPECT_EQ(variant->also ? 2 : 1, lint_text(self->bad, variant->libvirt, res));
	r = find(res, variant->rule);
	ASSERT_NE(NULL, r);
	ASSERT_EQ(GH_LINT_FAIL, r->status);
	EXPECT_NE(NULL, strstr(r->element, variant->element)) TH_LOG("element %s", r->element);
	EXPECT_NE(0, r->message[0]);
	EXPECT_NE(NULL, r->fix);
	for (i = 0; i < gh_lint_nr_rules; i++)
		if (res[i].status == GH_LINT_FAIL && strcmp(res[i].id, variant->rule) &&
		    (!variant->also || strcmp(res[i].id, variant->also)))
			TH_LOG("also failed: %s %s", res[i].id, res[i].message);
}

TEST(seed_passes_all_but_libvirt_dependent_rules)
{
	struct gh_lint_result res[64];
	char *s = seed();
	unsigned int i;

	ASSERT_NE(NULL, s);
	lint_text(s, V(9, 0), res);
	for (i = 0; i < gh_lint_nr_rules; i++)
		if (!gh_lint_rules[i].libvirt_dependent)
			EXPECT_NE(GH_LINT_FAIL, res[i].status) TH_LOG("%s %s", res[i].id,
								       res[i].message);
	EXPECT_EQ(GH_LINT_FAIL, find(res, "GH012")->status);
	EXPECT_EQ(0, lint_text(s, V(7, 0), res));
	free(s);
}

/* Without the host's devices the subsystem rule is skipped, with a note. */
TEST(subsystem_rule_skipped_without_host_ids)
{
	struct gh_lint_result res[64];
	const struct gh_lint_result *r;
	char *good = generated(V(9, 0));

	ASSERT_NE(NULL, good);
	gh_pci_root_set(root_dir);	/* no sys/bus/pci there */
	EXPECT_EQ(0, lint_text(good, V(9, 0), res));
	r = find(res, "GH024");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(GH_LINT_NA, r->status);
	EXPECT_NE(NULL, strstr(r->message, "not checked")) TH_LOG("%s", r->message);
	free(good);
}

TEST(rule_ids_unique_and_in_order)
{
	unsigned int i;

	for (i = 1; i < gh_lint_nr_rules; i++)
		EXPECT_LT(0, strcmp(gh_lint_rules[i].id, gh_lint_rules[i - 1].id));
}

TEST_HARNESS_MAIN
