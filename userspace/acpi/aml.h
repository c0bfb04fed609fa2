/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aml.h - a small AML encoder: just what gpuhelper's SSDTs need, emitted
 * directly as bytes so that no ASL compiler is needed at run time.
 *
 * Terms are appended to a growing buffer. A term with a PkgLength (Scope,
 * Device, Method, If, While, Buffer, Package) is opened with aml_open(),
 * filled, then closed with aml_close(), which encodes the shortest
 * PkgLength and moves the body into place. Errors are sticky: the first
 * one is kept in aml->err and every later call does nothing, so a caller
 * checks once, at aml_table_finish().
 *
 * Opcode values are those of the ACPI Specification, chapter 20 (AML).
 */
#ifndef GH_AML_H
#define GH_AML_H

#include <stddef.h>
#include <stdint.h>

#include "gh_types.h"

#define AML_ZERO	0x00
#define AML_ONE		0x01
#define AML_NAME	0x08
#define AML_BYTE	0x0a
#define AML_WORD	0x0b
#define AML_DWORD	0x0c
#define AML_STRING	0x0d
#define AML_QWORD	0x0e
#define AML_SCOPE	0x10
#define AML_BUFFER	0x11
#define AML_PACKAGE	0x12
#define AML_METHOD	0x14
#define AML_EXTERNAL	0x15
#define AML_LOCAL0	0x60
#define AML_ARG0	0x68
#define AML_STORE	0x70
#define AML_ADD		0x72
#define AML_CONCAT	0x73
#define AML_SUBTRACT	0x74
#define AML_DIVIDE	0x78
#define AML_LAND	0x90
#define AML_LNOT	0x92
#define AML_LEQUAL	0x93
#define AML_LGREATER	0x94
#define AML_LLESS	0x95
#define AML_TO_INTEGER	0x99
#define AML_MID		0x9e
#define AML_IF		0xa0
#define AML_ELSE	0xa1
#define AML_WHILE	0xa2
#define AML_RETURN	0xa4
#define AML_ONES	0xff
#define AML_EXT		0x5b
#define AML_EXT_DEVICE	0x82

/* External object types */
#define AML_OBJ_BUFFER	0x03
#define AML_OBJ_DEVICE	0x06

#define AML_MAX_PKGLEN	0x0fffffffU	/* 28 bits */
#define ACPI_HDR_LEN	36

/**
 * struct aml - a growing AML byte stream
 * @buf: the bytes
 * @len: bytes used
 * @cap: bytes allocated
 * @err: 0, or the first -errno met (sticky)
 */
struct aml {
	u8 *buf;
	size_t len;
	size_t cap;
	int err;
};

void aml_init(struct aml *a);
void aml_free(struct aml *a);
void aml_byte(struct aml *a, u8 b);
void aml_bytes(struct aml *a, const void *p, size_t n);
void aml_integer(struct aml *a, u64 v);
void aml_string(struct aml *a, const char *s);
void aml_namestring(struct aml *a, const char *path);
void aml_eisaid(struct aml *a, const char *id);
void aml_local(struct aml *a, unsigned int n);
void aml_arg(struct aml *a, unsigned int n);
size_t aml_open(struct aml *a, u8 op);
size_t aml_open_ext(struct aml *a, u8 op);
void aml_close(struct aml *a, size_t mark);
void aml_buffer(struct aml *a, const u8 *data, size_t n);
void aml_external(struct aml *a, const char *path, u8 type, u8 nargs);
size_t aml_externals_open(struct aml *a);

int aml_name_valid(const char *path);
int aml_pkglen_encode(size_t body, u8 out[4]);
u32 aml_eisaid_value(const char *id);

void aml_table_begin(struct aml *a, const char *sig, u8 rev,
		     const char *oem_id, const char *oem_table_id,
		     u32 oem_rev);
int aml_table_finish(struct aml *a, u8 **out, size_t *len);
u8 acpi_checksum(const u8 *p, size_t n);

#endif /* GH_AML_H */
