// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which VMM images this driver runs (docs/trust.md). The VMM runs above
 * the kernel, so an image is held to what the kernel asks of code it runs
 * in ring 0: a signature in the format of signed modules
 * (include/xvmm/image_sig.h), checked by the kernel's own PKCS#7 code
 * against the keys it trusts for kexec_file_load images, in the same
 * order: the secondary trusted keyring (built-in keys, and on 6.1 the MOK
 * keys of the machine keyring), then the platform keyring (UEFI db). Then
 * the certificate of this build's own key, compiled into xvmm.ko: the
 * kernel's module check already vouches for the module, so a key inside
 * it is trusted exactly as far as the module is.
 *
 * When the kernel enforces module signatures or is locked down (any
 * level), or xvmm.ko was told to (require_signature, the build's
 * CONFIG_XVMM_REQUIRE_SIGNED_IMAGE), an image that does not verify is
 * refused before anything is allocated for it. Otherwise it runs, with a
 * warning, and the kernel is tainted TAINT_USER ('U'), as the module
 * loader runs and taints for an unsigned module.
 */
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/verification.h>
#include <xvmm/image_sig.h>
#include <xvmm/ioctl.h>
#include "xvmm_drv.h"
/* xvmm_build_cert[], XVMM_BUILD_REQUIRE_SIG: written by the build (loader.mk). */
#include "xvmm_trust_gen.h"

static bool require_signature = XVMM_BUILD_REQUIRE_SIG;
module_param(require_signature, bool, 0444);
MODULE_PARM_DESC(require_signature,
		 "Refuse VMM images without a valid signature even when the kernel would not (default: the build's CONFIG_XVMM_REQUIRE_SIGNED_IMAGE)");

static struct key *build_keyring;
static char build_key_desc[96];

/* Nothing may be added to the build keyring once its one key is in. */
static int reject_all(struct key *keyring, const struct key_type *type,
		      const union key_payload *payload, struct key *restriction_key)
{
	return -EPERM;
}

int xvmm_trust_init(void)
{
	struct key_restriction *restrict_link;
	key_ref_t key;

	if (!sizeof(xvmm_build_cert))
		return 0;
	/* Plain, not xvmm_alloc.h's: the keyring frees it, at module exit. */
	restrict_link = kzalloc(sizeof(*restrict_link), GFP_KERNEL);
	if (!restrict_link)
		return -ENOMEM;
	restrict_link->check = reject_all;
	/* The keyring frees restrict_link when it goes. */
	build_keyring = keyring_alloc(".xvmm_build", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID, current_cred(),
				      (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ |
				      KEY_USR_SEARCH, KEY_ALLOC_NOT_IN_QUOTA, restrict_link, NULL);
	if (IS_ERR(build_keyring)) {
		long err = PTR_ERR(build_keyring);

		kfree(restrict_link);
		build_keyring = NULL;
		pr_err("xvmm: cannot make the build keyring (%ld)\n", err);
		return err;
	}
	key = key_create_or_update(make_key_ref(build_keyring, 1), "asymmetric", NULL,
				   xvmm_build_cert, sizeof(xvmm_build_cert),
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ,
				   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_BYPASS_RESTRICTION);
	if (IS_ERR(key)) {
		pr_err("xvmm: the build's certificate does not parse (%ld)\n", PTR_ERR(key));
		key_put(build_keyring);
		build_keyring = NULL;
		return PTR_ERR(key);
	}
	strscpy(build_key_desc, key_ref_to_ptr(key)->description ?: "?", sizeof(build_key_desc));
	key_ref_put(key);
	return 0;
}

void xvmm_trust_exit(void)
{
	if (build_keyring)
		key_put(build_keyring);
	build_keyring = NULL;
}

/* Are signatures required now? @why names the first reason. */
static bool signature_required(const char **why)
{
	if (require_signature) {
		*why = "xvmm.ko requires signed images (require_signature)";
		return true;
	}
	if (is_module_sig_enforced()) {
		*why = "the kernel enforces module signatures";
		return true;
	}
	/* The lockdown reason of unsigned modules: the image is code above the kernel. */
	if (security_locked_down(LOCKDOWN_MODULE_SIGNATURE)) {
		*why = "the kernel is locked down";
		return true;
	}
	return false;
}

static int verify_with(const u8 *file, const struct xvmm_sig_parts *p, struct key *keyring)
{
	return verify_pkcs7_signature(file, p->image_len, file + p->sig_off, p->sig_len, keyring,
				      VERIFYING_MODULE_SIGNATURE, NULL, NULL);
}

int xvmm_trust_check(const u8 *file, size_t len, struct xvmm_trust_verdict *v)
{
	struct xvmm_sig_parts parts;
	const char *problem, *why;
	int err = -ENOKEY;

	memset(v, 0, sizeof(*v));
	v->image_len = len;
	switch (xvmm_sig_split(file, len, &parts)) {
	case XVMM_SIG_NONE:
		problem = "the image is not signed";
		err = -ENODATA;
		break;
	case XVMM_SIG_FOUND:
		v->image_len = parts.image_len;
		err = verify_with(file, &parts, VERIFY_USE_SECONDARY_KEYRING);
		if (!err) {
			v->keyring = XVMM_KEYRING_SECONDARY;
			strscpy(v->detail, "the secondary trusted keyring (built-in and MOK keys)",
				sizeof(v->detail));
		}
		if (err == -ENOKEY) {
			err = verify_with(file, &parts, VERIFY_USE_PLATFORM_KEYRING);
			if (!err) {
				v->keyring = XVMM_KEYRING_PLATFORM;
				strscpy(v->detail, "the platform keyring (UEFI db)", sizeof(v->detail));
			}
		}
		if (err == -ENOKEY && build_keyring) {
			err = verify_with(file, &parts, build_keyring);
			if (!err) {
				v->keyring = XVMM_KEYRING_BUILD;
				snprintf(v->detail, sizeof(v->detail), "xvmm.ko's build key (%s)",
					 build_key_desc);
			}
		}
		if (!err) {
			v->state = XVMM_TRUST_VERIFIED;
			return 0;
		}
		problem = err == -ENOKEY ? "it is signed by a key the kernel does not trust" :
			  err == -EKEYREJECTED ? "its signature does not match it (changed after signing?)" :
			  err == -EBADMSG ? "its signature is malformed" :
			  err == -ENOPKG ? "its signature uses an algorithm this kernel lacks" :
			  "its signature does not verify";
		break;
	default:
		problem = "its signature trailer is malformed (lengths do not add up)";
		err = -EBADMSG;
		break;
	}
	if (signature_required(&why)) {
		/* Unsigned under lockdown is a permission matter, as for modules. */
		if (err == -ENODATA)
			err = -EPERM;
		pr_err("xvmm: image refused: %s, and %s (%d)\n", problem, why, err);
		return err;
	}
	v->state = XVMM_TRUST_UNSIGNED;
	strscpy(v->detail, problem, sizeof(v->detail));
	return 0;
}

void xvmm_trust_commit(const struct xvmm_trust_verdict *v)
{
	if (v->state == XVMM_TRUST_VERIFIED) {
		pr_info("xvmm: image signature verified by %s\n", v->detail);
		return;
	}
	pr_warn("xvmm: running an image that does not verify: %s; kernel tainted (U)\n", v->detail);
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
}
