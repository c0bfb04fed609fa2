// SPDX-License-Identifier: GPL-2.0
/*
 * modsig.c - is gpuhelper.ko signed, and by a key in the MOK list?
 *
 * The kernel's module signature (scripts/sign-file, include/linux/
 * module_signature.h): the module, a PKCS#7 (CMS, RFC 5652) SignedData,
 * a 12-byte struct module_signature whose last field is the blob's
 * length (big-endian) and the magic "~Module signature appended~\n".
 * The signer is named in the SignerInfo by issuerAndSerialNumber: the DER
 * of the signing certificate's issuer Name and serialNumber INTEGER,
 * copied byte for byte. A certificate signed the module when that pair
 * of its own appears in the blob.
 *
 * The MOK list (shim's MokListRT variable) is a UEFI signature database:
 * EFI_SIGNATURE_LISTs of SignatureType, ListSize, HeaderSize,
 * SignatureSize, a header, then entries of an owner GUID and the data
 * (a DER X.509 certificate for EFI_CERT_X509_GUID).
 */
#include <string.h>

#include "host/doctor_checks.h"

#define MODSIG_MAGIC "~Module signature appended~\n"
#define MODSIG_INFO 12

/* EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072, as stored */
static const u8 cert_x509_guid[16] = {
	0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
	0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72,
};

/**
 * gh_modsig_read() - find the signature appended to a module
 * @data: the .ko (not compressed)
 * @len: its size
 * @s: filled in; @s->signed_ false when there is none
 *
 * Return: 0, or -EINVAL for a trailer whose length does not fit.
 */
int gh_modsig_read(const u8 *data, size_t len, struct gh_modsig *s)
{
	size_t ml = sizeof(MODSIG_MAGIC) - 1, sl;
	const u8 *info;

	memset(s, 0, sizeof(*s));
	if (len < ml + MODSIG_INFO || memcmp(data + len - ml, MODSIG_MAGIC, ml))
		return 0;
	info = data + len - ml - MODSIG_INFO;
	sl = (size_t)info[8] << 24 | (size_t)info[9] << 16 | (size_t)info[10] << 8 | info[11];
	if (info[2] != 2 || sl > len - ml - MODSIG_INFO)	/* PKEY_ID_PKCS7 */
		return -22;
	s->signed_ = true;
	s->sig = info - sl;
	s->sig_len = sl;
	return 0;
}

/* One DER TLV at @p: its total length into *tlv, content offset *hdr. */
static bool der(const u8 *p, size_t avail, size_t *hdr, size_t *tlv)
{
	size_t n, h = 2, l, i;

	if (avail < 2)
		return false;
	l = p[1];
	if (l & 0x80) {
		n = l & 0x7f;
		if (!n || n > 4 || avail < 2 + n)
			return false;
		for (l = 0, i = 0; i < n; i++)
			l = l << 8 | p[2 + i];
		h += n;
	}
	if (l > avail - h)
		return false;
	*hdr = h;
	*tlv = h + l;
	return true;
}

/*
 * From an X.509 certificate: the TLVs of tbsCertificate's serialNumber
 * and issuer (Certificate ::= SEQUENCE { tbsCertificate SEQUENCE {
 * [0] version OPTIONAL, serialNumber, signature, issuer, ... } ... }).
 */
static bool cert_ids(const u8 *c, size_t len, const u8 **serial, size_t *serial_len,
		     const u8 **issuer, size_t *issuer_len)
{
	size_t h, t, end;
	const u8 *p;

	if (!der(c, len, &h, &t) || c[0] != 0x30)
		return false;
	p = c + h;
	if (!der(p, t - h, &h, &t) || p[0] != 0x30)
		return false;
	end = t;
	p += h;
	end -= h;
	if (!der(p, end, &h, &t))
		return false;
	if (p[0] == 0xa0) {	/* version */
		p += t;
		end -= t;
		if (!der(p, end, &h, &t))
			return false;
	}
	if (p[0] != 0x02)
		return false;
	*serial = p;
	*serial_len = t;
	p += t;
	end -= t;
	if (!der(p, end, &h, &t) || p[0] != 0x30)	/* signature AlgorithmIdentifier */
		return false;
	p += t;
	end -= t;
	if (!der(p, end, &h, &t) || p[0] != 0x30)
		return false;
	*issuer = p;
	*issuer_len = t;
	return true;
}

/**
 * gh_cert_signed() - did this certificate's key sign the PKCS#7 blob?
 * @cert: a DER X.509 certificate
 * @cert_len: its size
 * @sig: the module's PKCS#7 blob
 * @sig_len: its size
 *
 * Return: true when the blob names the certificate (issuer, then serial
 * number, as a SignerInfo's issuerAndSerialNumber).
 */
bool gh_cert_signed(const u8 *cert, size_t cert_len, const u8 *sig, size_t sig_len)
{
	const u8 *serial, *issuer, *p;
	size_t sl, il, need;

	if (!cert_ids(cert, cert_len, &serial, &sl, &issuer, &il))
		return false;
	need = il + sl;
	for (p = sig; sig_len >= need && p <= sig + sig_len - need; p++)
		if (!memcmp(p, issuer, il) && !memcmp(p + il, serial, sl))
			return true;
	return false;
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/**
 * gh_mok_list_has() - is the blob's signer in a MOK list?
 * @list: the EFI signature lists (MokListRT without its 4 attribute bytes)
 * @list_len: their size
 * @sig: the module's PKCS#7 blob
 * @sig_len: its size
 * @cert: receives the matching certificate
 * @cert_len: its size
 *
 * Return: true when an X.509 entry of @list signed @sig.
 */
bool gh_mok_list_has(const u8 *list, size_t list_len, const u8 *sig, size_t sig_len,
		     const u8 **cert, size_t *cert_len)
{
	size_t off = 0, e;
	u32 lsize, hsize, ssize;

	while (list_len - off >= 28) {
		const u8 *l = list + off;

		lsize = le32(l + 16);
		hsize = le32(l + 20);
		ssize = le32(l + 24);
		if (lsize < 28 || lsize > list_len - off || ssize <= 16 ||
		    hsize > lsize - 28)
			return false;
		for (e = 28 + hsize; !memcmp(l, cert_x509_guid, 16) && e + ssize <= lsize;
		     e += ssize) {
			if (gh_cert_signed(l + e + 16, ssize - 16, sig, sig_len)) {
				*cert = l + e + 16;
				*cert_len = ssize - 16;
				return true;
			}
		}
		off += lsize;
	}
	return false;
}
