/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor_checks.h - the checks of gpuhelper doctor that look at what
 * the guest needs installed: the libvirt hook and the udev rule, the
 * SSDTs, the GVT-g ROM and mdev, Secure Boot and gpuhelper.ko's
 * signature. Each result goes to the caller's report function.
 */
#ifndef GH_DOCTOR_CHECKS_H
#define GH_DOCTOR_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "gh_types.h"

enum gh_check_verdict { GH_CHECK_PASS, GH_CHECK_FAIL, GH_CHECK_SKIP };

struct gh_check {
	const char *id;
	enum gh_check_verdict v;
	char detail[512];
	char fix[1024];
};

typedef void (*gh_check_emit)(void *ctx, const struct gh_check *c);

/**
 * struct gh_doctor_in - what cmd_doctor.c already knows
 * @gvt: the iGPU does GVT-g
 * @mdev_uuid: an existing mdev of the iGPU, "" none
 * @igpu_bdf: the iGPU, "" none
 * @dgpu: there is a dGPU to pass
 * @kver_release: the running kernel's release (osrelease), "" unknown
 */
struct gh_doctor_in {
	bool gvt;
	const char *mdev_uuid;
	const char *igpu_bdf;
	bool dgpu;
	const char *kver_release;
};

void gh_doctor_vm_checks(const struct gh_doctor_in *in, gh_check_emit emit, void *ctx);

/* modsig.c: the module signature and the MOK list */
struct gh_modsig {
	bool signed_;			/* "~Module signature appended~" */
	const u8 *sig;			/* the PKCS#7 blob */
	size_t sig_len;
};
int gh_modsig_read(const u8 *data, size_t len, struct gh_modsig *s);
bool gh_cert_signed(const u8 *cert, size_t cert_len, const u8 *sig, size_t sig_len);
bool gh_mok_list_has(const u8 *list, size_t list_len, const u8 *sig, size_t sig_len,
		     const u8 **cert, size_t *cert_len);

#endif /* GH_DOCTOR_CHECKS_H */
