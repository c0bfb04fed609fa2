// SPDX-License-Identifier: GPL-2.0
/*
 * aml_test.c - the AML encoder and the SSDTs built with it.
 *
 * Encodings are checked against the ACPI specification's rules; the
 * tables are checked with ACPICA's own tools: iasl -d must disassemble
 * them without error, iasl must compile our ASL to the same AML, and
 * acpiexec, loading QEMU 7.2's q35 DSDT (tests/host/data) plus our SSDTs,
 * evaluates _ROM and the battery methods. Those tests skip when
 * acpica-tools is not installed.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "acpi/aml.h"
#include "acpi/acpi_tables.h"
#include "vbios.h"
#include "../lib/romgen.h"

#define DSDT		GH_TOP "/tests/host/data/qemu-7.2-q35-rootport-dsdt.aml"
#define SEED_BATTERY	GH_TOP "/tests/host/data/seed-battery-ssdt.aml"
#define ROM_PATH	"\\_SB.PCI0.S08.S00"

/*
 * ACPICA's tools, when installed. tests/host/sanitize.t sets
 * GH_NO_ACPICA: under ASan it checks our encoder's memory safety, and
 * iasl and acpiexec (ACPICA's code, not ours, and most of this program's
 * minutes) already judged the same tables in the plain run.
 */
static bool have(const char *tool)
{
	char cmd[128];

	if (getenv("GH_NO_ACPICA"))
		return false;

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int sum8(const u8 *p, size_t n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, n, f) == n;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

/* iasl -d: 0 when the table disassembles with no error or warning */
static int disassemble_clean(const char *dir, const char *file)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "cd %s && iasl -d %s >%s.log 2>&1 && ! grep -qiE 'error|warning|checksum' %s.log",
		 dir, file, file, file);
	return system(cmd);
}

static void make_tmpdir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/gh-aml-test.XXXXXX");
	if (!mkdtemp(dir))
		dir[0] = '\0';
}

static void rm_tmpdir(const char *dir)
{
	char cmd[256];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "# cannot remove %s\n", dir);
}

TEST(pkglength_shortest_encoding_counts_itself)
{
	static const struct { size_t body; int n; u8 b[4]; } cases[] = {
		{ 0, 1, { 0x01 } },
		{ 0x3e, 1, { 0x3f } },
		{ 0x3f, 2, { 0x41, 0x04 } },		/* 0x41 total */
		{ 0xffd, 2, { 0x4f, 0xff } },		/* 0xfff total */
		{ 0xffe, 3, { 0x81, 0x00, 0x01 } },	/* 0x1001 total */
		{ 0xffffc, 3, { 0x8f, 0xff, 0xff } },
		{ 0xffffd, 4, { 0xc1, 0x00, 0x00, 0x01 } },
		{ 0x0ffffffb, 4, { 0xcf, 0xff, 0xff, 0xff } },
	};
	u8 out[4];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = aml_pkglen_encode(cases[i].body, out);

		ASSERT_EQ(cases[i].n, n);
		EXPECT_EQ(0, memcmp(cases[i].b, out, (size_t)n));
	}
	EXPECT_EQ(-E2BIG, aml_pkglen_encode(0x0ffffffc, out));
}

TEST(namestrings_encoded_with_prefixes_and_padding)
{
	static const struct { const char *path; const char *aml; size_t n; } cases[] = {
		{ "BAT0", "BAT0", 4 },
		{ "_SB", "_SB_", 4 },
		{ "\\_SB.PCI0", "\\\x2e_SB_PCI0", 10 },
		{ "\\_SB.PCI0.S08.S00", "\\\x2f\x04_SB_PCI0S08_S00_", 19 },
		{ "^^A.B", "^^\x2e" "A___B___", 11 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aml a;

		aml_init(&a);
		aml_namestring(&a, cases[i].path);
		ASSERT_EQ(0, a.err);
		ASSERT_EQ(cases[i].n, a.len);
		EXPECT_EQ(0, memcmp(cases[i].aml, a.buf, a.len));
		aml_free(&a);
	}
}

TEST(bad_names_rejected)
{
	static const char *const bad[] = {
		"", "\\", "_sb", "1ABC", "ABCDE", "A..B", "A.", "\\^A", "A B", "A-B",
		"^", "\\_SB.PCI0.", "ABC.\\DEF",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aml a;

		EXPECT_EQ(-EINVAL, aml_name_valid(bad[i]));
		aml_init(&a);
		aml_namestring(&a, bad[i]);
		EXPECT_EQ(-EINVAL, a.err);
		EXPECT_EQ(0, a.len);
		aml_free(&a);
	}
	EXPECT_EQ(-EINVAL, aml_name_valid(NULL));
}

TEST(integers_in_shortest_form)
{
	static const struct { u64 v; size_t n; u8 b[9]; } cases[] = {
		{ 0, 1, { 0x00 } }, { 1, 1, { 0x01 } }, { 2, 2, { 0x0a, 0x02 } },
		{ 0xff, 2, { 0x0a, 0xff } }, { 0x100, 3, { 0x0b, 0x00, 0x01 } },
		{ 6000, 3, { 0x0b, 0x70, 0x17 } },
		{ 0x10000, 5, { 0x0c, 0x00, 0x00, 0x01, 0x00 } },
		{ 0x100000000ULL, 9, { 0x0e, 0, 0, 0, 0, 1, 0, 0, 0 } },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aml a;

		aml_init(&a);
		aml_integer(&a, cases[i].v);
		ASSERT_EQ(cases[i].n, a.len);
		EXPECT_EQ(0, memcmp(cases[i].b, a.buf, a.len));
		aml_free(&a);
	}
}

TEST(eisaid_compressed_like_iasl)
{
	EXPECT_EQ(0x0a0cd041, aml_eisaid_value("PNP0C0A"));
	EXPECT_EQ(0x030ad041, aml_eisaid_value("PNP0A03"));
	EXPECT_EQ(0, aml_eisaid_value("pnp0c0a"));
	EXPECT_EQ(0, aml_eisaid_value("PNP0C0"));
	EXPECT_EQ(0, aml_eisaid_value("PNP0C0G"));
}

TEST(nested_terms_get_their_lengths_after_moving)
{
	struct aml a;
	size_t outer, inner;
	u8 big[100];

	memset(big, 0xab, sizeof(big));
	aml_init(&a);
	outer = aml_open(&a, AML_SCOPE);
	aml_namestring(&a, "ABCD");
	inner = aml_open(&a, AML_PACKAGE);
	aml_byte(&a, 1);
	aml_buffer(&a, big, sizeof(big));
	aml_close(&a, inner);
	aml_close(&a, outer);
	ASSERT_EQ(0, a.err);
	/* Buffer: 11 <2-byte len> 0a 64 <100 bytes> = 105 */
	/* Package: 12 <2-byte len> 01 <105> = 109, Scope: 10 <2> ABCD <109> = 116 */
	ASSERT_EQ(116, a.len);
	EXPECT_EQ(AML_SCOPE, a.buf[0]);
	EXPECT_EQ(0x40 | (115 & 0xf), a.buf[1]);
	EXPECT_EQ(115 >> 4, a.buf[2]);
	EXPECT_EQ(AML_PACKAGE, a.buf[7]);
	EXPECT_EQ(AML_BUFFER, a.buf[11]);
	EXPECT_EQ(0xab, a.buf[a.len - 1]);
	aml_free(&a);
}

TEST(table_header_length_and_checksum)
{
	struct aml a;
	u8 *t;
	size_t len;

	aml_init(&a);
	aml_table_begin(&a, "SSDT", 2, "OEMIDX", "TABLEID8", 7);
	aml_integer(&a, 0x1234);
	ASSERT_EQ(0, aml_table_finish(&a, &t, &len));
	EXPECT_EQ(39, len);
	EXPECT_EQ(0, memcmp(t, "SSDT", 4));
	EXPECT_EQ(39, t[4]);
	EXPECT_EQ(2, t[8]);
	EXPECT_EQ(0, memcmp(t + 10, "OEMIDXTABLEID8", 14));
	EXPECT_EQ(0, sum8(t, len));
	free(t);

	aml_init(&a);
	aml_table_begin(&a, "SSDT", 2, "O", "T", 1);
	aml_namestring(&a, "bad");
	EXPECT_EQ(-EINVAL, aml_table_finish(&a, &t, &len));
}

TEST(battery_table_checksum_and_disassembly)
{
	struct gh_acpi_table t;
	char dir[64], path[128];

	if (!have("iasl"))
		SKIP(return, "no iasl (acpica-tools not installed, or GH_NO_ACPICA)");
	ASSERT_EQ(0, gh_acpi_battery_build(GH_ACPI_AML, &t));
	EXPECT_EQ(0, sum8(t.data, t.len));
	EXPECT_EQ(t.len, t.data[4] | t.data[5] << 8);
	make_tmpdir(dir, sizeof(dir));
	ASSERT_NE(0, dir[0]);
	snprintf(path, sizeof(path), "%s/%s", dir, t.file);
	ASSERT_EQ(0, write_file(path, t.data, t.len));
	EXPECT_EQ(0, disassemble_clean(dir, t.file));
	gh_acpi_tables_free(&t, 1);
	rm_tmpdir(dir);
}

/*
 * Evaluate the battery's objects with acpiexec for a table and print the
 * results, without addresses, into @out.
 */
static int battery_eval(const char *table, const char *out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "acpiexec -b 'evaluate \\_SB.PCI0.BAT0._HID; evaluate \\_SB.PCI0.BAT0._UID; "
		 "evaluate \\_SB.PCI0.BAT0._STA; evaluate \\_SB.PCI0.BAT0._BIF; "
		 "evaluate \\_SB.PCI0.BAT0._BST' %s %s 2>&1 | "
		 "sed -n '/^Evaluating/,$p' | grep -v -e 'returned object' -e 'outstanding' >%s",
		 DSDT, table, out);
	return system(cmd);
}

TEST(battery_table_decodes_to_the_seed_tables_objects)
{
	struct gh_acpi_table t;
	char dir[64], path[128], a[160], b[160], cmd[1024];

	if (!have("iasl") || !have("acpiexec"))
		SKIP(return, "no iasl or acpiexec (acpica-tools not installed, or GH_NO_ACPICA)");
	ASSERT_EQ(0, gh_acpi_battery_build(GH_ACPI_AML, &t));
	make_tmpdir(dir, sizeof(dir));
	ASSERT_NE(0, dir[0]);
	snprintf(path, sizeof(path), "%s/%s", dir, t.file);
	ASSERT_EQ(0, write_file(path, t.data, t.len));

	/* 1: the same objects and values when ACPICA evaluates them */
	snprintf(a, sizeof(a), "%s/seed.eval", dir);
	snprintf(b, sizeof(b), "%s/ours.eval", dir);
	ASSERT_EQ(0, battery_eval(SEED_BATTERY, a));
	ASSERT_EQ(0, battery_eval(path, b));
	snprintf(cmd, sizeof(cmd), "grep -q 'Contains 13 Elements' %s && grep -q '\"LION\"' %s && cmp -s %s %s",
		 a, a, a, b);
	EXPECT_EQ(0, system(cmd)) {
		snprintf(cmd, sizeof(cmd), "diff %s %s >&2", a, b);
		if (system(cmd))
			TH_LOG("evaluations differ (diff above)");
	}

	/* 2: the same ASL, header, comments and namepath root prefix aside */
	snprintf(cmd, sizeof(cmd),
		 "cd %s && cp %s seed.aml && iasl -d seed.aml >/dev/null 2>&1 && iasl -d %s >/dev/null 2>&1 && "
		 "for f in seed ssdt-battery; do sed -e '1,/^DefinitionBlock/d' -e 's|//.*||' -e 's|/\\*.*\\*/||g' "
		 "-e 's|\\\\_SB|_SB|g' -e 's/[[:space:]]//g' $f.dsl | grep -v '^$' >$f.norm; done && "
		 "cmp -s seed.norm ssdt-battery.norm", dir, SEED_BATTERY, t.file);
	EXPECT_EQ(0, system(cmd));

	gh_acpi_tables_free(&t, 1);
	rm_tmpdir(dir);
}

/*
 * The vBIOS tables for a ROM: write them into @dir; return the number of
 * tables or -1.
 */
static int write_vbios_tables(const char *dir, const u8 *rom, size_t len,
			      size_t split, enum gh_acpi_format fmt,
			      struct gh_acpi_table **tp)
{
	struct gh_acpi_table *t;
	unsigned int nr, i;
	char path[256];

	if (gh_acpi_vbios_build(rom, len, ROM_PATH, split, fmt, &t, &nr))
		return -1;
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, t[i].file);
		if (write_file(path, t[i].data, t[i].len))
			return -1;
	}
	*tp = t;
	return (int)nr;
}

struct rom_call {
	size_t off, len;
};

/*
 * Evaluate _ROM(off, len) for each call with acpiexec over QEMU's DSDT and
 * the tables in @dir; compare each returned Buffer with what a laptop's
 * _ROM returns: min(len, 4096) bytes from off, clipped at the ROM end.
 * Returns the number of calls that matched.
 */
static int check_rom_calls(struct __test_metadata *_metadata, const char *dir,
			   const u8 *rom, size_t romlen,
			   const struct rom_call *calls, int n)
{
	char *cmd = malloc(65536), line[512];
	u8 *got = malloc(8192);
	int i, matched = 0, cur = -1;
	size_t want = 0, have_n = 0;
	FILE *p;

	if (!cmd || !got)
		return 0;
	i = snprintf(cmd, 65536, "cd %s && acpiexec -b '", dir);
	for (int k = 0; k < n; k++)
		i += snprintf(cmd + i, 65536 - (size_t)i, "evaluate %s._ROM 0x%zx 0x%zx;",
			      ROM_PATH, calls[k].off, calls[k].len);
	snprintf(cmd + i, 65536 - (size_t)i, "' %s ssdt-vbios-*.aml 2>&1", DSDT);
	p = popen(cmd, "r");
	if (!p)
		return 0;

	/* Each result: "[Buffer] Length XX = " then "NNNN: HH HH ... // text" */
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "[Buffer] Length ");

		if (strstr(line, "Evaluation of") && strstr(line, "failed"))
			TH_LOG("acpiexec: %s", line);
		if (s) {
			cur++;
			want = strtoul(s + 16, NULL, 16);
			have_n = 0;
			s = strchr(s, '=');
			s = s ? s + 1 : line + strlen(line);
		} else {
			s = line;
		}
		if (cur < 0 || cur >= n)
			continue;
		/* hex bytes after "NNNN:" up to "//" */
		{
			char *colon = strchr(s, ':');
			char *end = strstr(s, "//");

			if (!colon || !end)
				goto check;
			for (s = colon + 1; s < end && have_n < 8192; ) {
				char *q;
				unsigned long b = strtoul(s, &q, 16);

				if (q == s || q > end)
					break;
				got[have_n++] = (u8)b;
				s = q;
			}
		}
check:
		if (have_n == want) {
			size_t off = calls[cur].off, exp = calls[cur].len;

			if (off > romlen)
				off = romlen;
			if (exp > 4096)
				exp = 4096;
			if (exp > romlen - off)
				exp = romlen - off;
			if (want == exp && !memcmp(got, rom + off, exp))
				matched++;
			else
				TH_LOG("_ROM(0x%zx, 0x%zx): got %zu bytes, want %zu%s",
				       calls[cur].off, calls[cur].len, want, exp,
				       want == exp ? " (content differs)" : "");
			have_n = (size_t)-1;	/* done with this one */
		}
	}
	pclose(p);
	free(cmd);
	free(got);
	return matched;
}

FIXTURE(vbios_tables) {
	char dir[64];
	u8 *rom;
	size_t len;
	struct gh_acpi_table *t;
	int nr;
};

FIXTURE_VARIANT(vbios_tables) {
	size_t rom_kib;		/* the simple layout's size; 0: @layout's */
	size_t x86_kib;
	size_t split;		/* 0: the default */
	int nr_tables;		/* buffers + the _ROM table */
	enum romgen_kind layout;
};

/* 16 KiB over 4 buffers of 4000 bytes and one of 384: boundaries everywhere */
FIXTURE_VARIANT_ADD(vbios_tables, rom_16k_split_4000) { 16, 8, 4000, 6 };
/* a realistic 70 KiB vBIOS with the default split: 2 buffer tables */
FIXTURE_VARIANT_ADD(vbios_tables, rom_70k_default_split) { 70, 60, 0, 3 };
/* a GTX 1050 Mobile's ROM, the real layout and size (168448 bytes) */
FIXTURE_VARIANT_ADD(vbios_tables, pascal_gtx1050m_default_split) {
	0, 0, 0, 4, ROMGEN_PASCAL };

FIXTURE_SETUP(vbios_tables)
{
	if (variant->rom_kib) {
		self->len = variant->rom_kib * 1024;
		self->rom = malloc(self->len);
		ASSERT_NE(NULL, self->rom);
		romgen_standard(self->rom, (u32)self->len, (u32)variant->x86_kib * 1024,
				0x1234, 0x11e8, (u32)self->len);
	} else {
		u32 off, len;

		self->rom = malloc(ROMGEN_MAX);
		ASSERT_NE(NULL, self->rom);
		self->len = romgen_layout(variant->layout, self->rom, 0x10de, 0x1c8d, 9,
					  &off, &len);
		ASSERT_EQ(0, off);
	}
	make_tmpdir(self->dir, sizeof(self->dir));
	ASSERT_NE(0, self->dir[0]);
	self->t = NULL;
	self->nr = write_vbios_tables(self->dir, self->rom, self->len,
				      variant->split, GH_ACPI_AML, &self->t);
	ASSERT_EQ(variant->nr_tables, self->nr);
}

FIXTURE_TEARDOWN(vbios_tables)
{
	if (self->t) {
		gh_acpi_tables_free(self->t, (unsigned int)self->nr);
		free(self->t);
	}
	free(self->rom);
	rm_tmpdir(self->dir);
}

TEST_F(vbios_tables, each_fits_qemu_has_checksum_and_carries_its_slice)
{
	size_t next = 0;
	int i;

	for (i = 0; i < self->nr; i++) {
		const struct gh_acpi_table *t = &self->t[i];

		EXPECT_LE(t->len, GH_ACPI_TABLE_MAX);
		EXPECT_EQ(0, sum8(t->data, t->len));
		EXPECT_EQ(t->len, (size_t)(t->data[4] | t->data[5] << 8 | t->data[6] << 16));
		if (i < self->nr - 1) {
			EXPECT_EQ(next, t->rom_offset);
			EXPECT_GT(t->rom_len, 0);
			ASSERT_LE(t->payload + t->rom_len, t->len);
			EXPECT_EQ(0, memcmp(t->data + t->payload, self->rom + t->rom_offset, t->rom_len));
			next += t->rom_len;
		} else {
			EXPECT_EQ(0, t->rom_len);	/* the _ROM method's table */
		}
	}
	EXPECT_EQ(self->len, next);
}

TEST_F(vbios_tables, each_disassembles_without_error)
{
	int i;

	if (!have("iasl"))
		SKIP(return, "no iasl (acpica-tools not installed, or GH_NO_ACPICA)");
	for (i = 0; i < self->nr; i++)
		EXPECT_EQ(0, disassemble_clean(self->dir, self->t[i].file))
			TH_LOG("iasl -d %s/%s", self->dir, self->t[i].file);
}

TEST_F(vbios_tables, rom_method_returns_the_rom_like_a_laptop)
{
	size_t s = variant->split ? variant->split : GH_ACPI_VBIOS_SPLIT_DEFAULT;
	size_t L = self->len;
	const struct rom_call calls[] = {
		{ 0, 4096 },			/* the first chunk */
		{ 4096, 4096 },
		{ 0, 0x10000 },			/* more than 4 KiB asked: 4 KiB */
		{ s - 10, 20 },			/* across the first buffer boundary */
		{ s - 1, 4096 },
		{ s, 4096 },			/* exactly at a boundary */
		{ 2 * s - 2048 < L ? 2 * s - 2048 : 1, 4096 },
		{ L - 100, 4096 },		/* clipped at the ROM end */
		{ L - 1, 1 },
		{ L, 4096 },			/* at the end: empty */
		{ L + 12345, 16 },		/* past the end: empty */
		{ 1234, 0 },			/* nothing asked: empty */
		{ 0x7ffffff0, 0x100 },
	};
	int n = sizeof(calls) / sizeof(calls[0]);

	if (!have("acpiexec"))
		SKIP(return, "no acpiexec (acpica-tools not installed, or GH_NO_ACPICA)");
	EXPECT_EQ(n, check_rom_calls(_metadata, self->dir, self->rom, self->len, calls, n));
}

TEST_F(vbios_tables, whole_rom_read_back_in_4k_chunks)
{
	struct rom_call calls[64];
	int n = 0, matched = 0;
	size_t off;

	if (!have("acpiexec"))
		SKIP(return, "no acpiexec (acpica-tools not installed, or GH_NO_ACPICA)");

	/* what the kernel and NVIDIA's driver do */
	for (off = 0; off < self->len && n < 64; off += 4096, n++) {
		calls[n].off = off;
		calls[n].len = 4096;
	}
	/* acpiexec -b takes at most 1023 characters: 20 calls a batch */
	for (int b = 0; b < n; b += 20)
		matched += check_rom_calls(_metadata, self->dir, self->rom, self->len,
					   calls + b, n - b < 20 ? n - b : 20);
	EXPECT_EQ(n, matched);
}

/* iasl needs ~30 s for the 70 KiB buffers on a loaded 2-core machine */
TEST_F_TIMEOUT(vbios_tables, iasl_compiles_our_asl_to_our_aml, 300)
{
	struct gh_acpi_table *asl = NULL;
	char sub[128], cmd[1024];
	int nr, i;

	if (!have("iasl"))
		SKIP(return, "no iasl (acpica-tools not installed, or GH_NO_ACPICA)");
	snprintf(sub, sizeof(sub), "%s/asl", self->dir);
	ASSERT_EQ(0, mkdir(sub, 0700));
	nr = write_vbios_tables(sub, self->rom, self->len, variant->split, GH_ACPI_ASL, &asl);
	ASSERT_EQ(self->nr, nr);
	for (i = 0; i < nr; i++) {
		/* -on: absolute namepaths kept, as we write them; compare all but the creator fields */
		snprintf(cmd, sizeof(cmd),
			 "cd %s && iasl -on -p %.*s %s >/dev/null 2>&1 && "
			 "cmp -s -n 9 %.*s.aml ../%s && cmp -s -i 10 -n 18 %.*s.aml ../%s && "
			 "cmp -s -i 36 %.*s.aml ../%s",
			 sub, (int)(strlen(asl[i].file) - 4), asl[i].file, asl[i].file,
			 (int)(strlen(asl[i].file) - 4), asl[i].file, self->t[i].file,
			 (int)(strlen(asl[i].file) - 4), asl[i].file, self->t[i].file,
			 (int)(strlen(asl[i].file) - 4), asl[i].file, self->t[i].file);
		EXPECT_EQ(0, system(cmd)) TH_LOG("%s", cmd);
	}
	gh_acpi_tables_free(asl, (unsigned int)nr);
	free(asl);
}

TEST(vbios_tables_refuse_bad_input)
{
	struct gh_acpi_table *t;
	unsigned int nr;
	u8 rom[1024] = { 0x55, 0xaa };

	EXPECT_EQ(-EINVAL, gh_acpi_vbios_build(rom, 0, ROM_PATH, 0, GH_ACPI_AML, &t, &nr));
	EXPECT_EQ(-EINVAL, gh_acpi_vbios_build(rom, sizeof(rom), "\\_SB.pci0", 0, GH_ACPI_AML, &t, &nr));
	EXPECT_EQ(-EINVAL, gh_acpi_vbios_build(rom, sizeof(rom), ROM_PATH, 100, GH_ACPI_AML, &t, &nr));
	EXPECT_EQ(-EINVAL, gh_acpi_vbios_build(rom, sizeof(rom), ROM_PATH, 65536, GH_ACPI_AML, &t, &nr));
}

TEST(vbios_tables_refuse_more_than_255_buffers)
{
	struct gh_acpi_table *t;
	unsigned int nr;
	u8 *big = calloc(256, 512);

	ASSERT_NE(NULL, big);
	EXPECT_EQ(-E2BIG, gh_acpi_vbios_build(big, 256 * 512, ROM_PATH, 512, GH_ACPI_AML, &t, &nr));
	free(big);
}

TEST(vbios_default_split_fits_164k_in_three_buffer_tables_under_65535)
{
	size_t len = 164 * 1024;
	u8 *rom = malloc(len);
	struct gh_acpi_table *t;
	unsigned int nr, i;

	ASSERT_NE(NULL, rom);
	romgen_standard(rom, (u32)len, 60 * 1024, 0x10de, 0x1c8d, 5);
	ASSERT_EQ(0, gh_acpi_vbios_build(rom, len, ROM_PATH, 0, GH_ACPI_AML, &t, &nr));
	EXPECT_EQ(4, nr);
	for (i = 0; i < nr; i++)
		EXPECT_LE(t[i].len, GH_ACPI_TABLE_MAX);
	gh_acpi_tables_free(t, nr);
	free(t);
	/* a split leaving no room for the table's framing is refused */
	EXPECT_EQ(-E2BIG, gh_acpi_vbios_build(rom, len, ROM_PATH, 65500, GH_ACPI_AML, &t, &nr));
	free(rom);
}

TEST_HARNESS_MAIN
