/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcrypto, loaded at first use (dynlib.h). Mapping and relocating it
 * (some 17,000 relocations, a hundred pages written) cost more than a
 * whole `ccprov lint` of a small project, which never signs or checks a
 * certificate; provisioning and verification load it on their first
 * call.
 *
 * Include this after the OpenSSL headers: it turns every call of the
 * functions below into a call through a table that is filled by the
 * first call. Header inline functions that call libcrypto (the stack
 * helpers) were compiled before these macros, so crypto_lazy.c also
 * defines the few functions they call. When the library cannot be
 * loaded, ccp_crypto() reports it and exits: provisioning cannot go on
 * without it. A function used anywhere in ccprov must be listed here.
 */
#ifndef CCPROV_CRYPTO_LAZY_H
#define CCPROV_CRYPTO_LAZY_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#define CCP_CRYPTO_FUNCS(X) \
	X(ASN1_BIT_STRING_free) \
	X(ASN1_BIT_STRING_new) \
	X(ASN1_BIT_STRING_set_bit) \
	X(ASN1_IA5STRING_new) \
	X(ASN1_INTEGER_free) \
	X(ASN1_OCTET_STRING_dup) \
	X(ASN1_OCTET_STRING_free) \
	X(ASN1_OCTET_STRING_new) \
	X(ASN1_OCTET_STRING_set) \
	X(ASN1_STRING_free) \
	X(ASN1_STRING_get0_data) \
	X(ASN1_STRING_length) \
	X(ASN1_STRING_set) \
	X(ASN1_STRING_to_UTF8) \
	X(ASN1_TIME_compare) \
	X(ASN1_TIME_diff) \
	X(AUTHORITY_KEYID_free) \
	X(AUTHORITY_KEYID_new) \
	X(BASIC_CONSTRAINTS_free) \
	X(BASIC_CONSTRAINTS_new) \
	X(BIO_ctrl) \
	X(BIO_free) \
	X(BIO_new) \
	X(BIO_new_mem_buf) \
	X(BIO_s_mem) \
	X(BN_CTX_end) \
	X(BN_CTX_free) \
	X(BN_CTX_get) \
	X(BN_CTX_secure_new) \
	X(BN_CTX_start) \
	X(BN_MONT_CTX_free) \
	X(BN_MONT_CTX_new) \
	X(BN_MONT_CTX_set) \
	X(BN_add) \
	X(BN_add_word) \
	X(BN_bn2lebinpad) \
	X(BN_clear) \
	X(BN_clear_free) \
	X(BN_cmp) \
	X(BN_copy) \
	X(BN_div) \
	X(BN_free) \
	X(BN_gcd) \
	X(BN_get_word) \
	X(BN_is_bit_set) \
	X(BN_is_negative) \
	X(BN_is_odd) \
	X(BN_is_one) \
	X(BN_is_zero) \
	X(BN_lebin2bn) \
	X(BN_mod_exp) \
	X(BN_mod_exp_mont_consttime) \
	X(BN_mod_exp_mont_consttime_x2) \
	X(BN_mod_inverse) \
	X(BN_mod_mul) \
	X(BN_mod_sqr) \
	X(BN_mod_sub) \
	X(BN_mul) \
	X(BN_new) \
	X(BN_nnmod) \
	X(BN_num_bits) \
	X(BN_priv_rand_range_ex) \
	X(BN_rand) \
	X(BN_rand_range_ex) \
	X(BN_rshift) \
	X(BN_secure_new) \
	X(BN_set_bit) \
	X(BN_set_flags) \
	X(BN_set_word) \
	X(BN_sub) \
	X(BN_sub_word) \
	X(BN_swap) \
	X(BN_to_ASN1_INTEGER) \
	X(BN_ucmp) \
	X(BN_value_one) \
	X(CRYPTO_clear_free) \
	X(CRYPTO_free) \
	X(ERR_clear_error) \
	X(ERR_get_error) \
	X(ERR_peek_last_error) \
	X(ERR_reason_error_string) \
	X(EVP_DecodeBlock) \
	X(EVP_DigestSign) \
	X(EVP_DigestSignFinal) \
	X(EVP_DigestSignInit) \
	X(EVP_DigestSignInit_ex) \
	X(EVP_DigestSignUpdate) \
	X(EVP_DigestVerify) \
	X(EVP_DigestVerifyFinal) \
	X(EVP_DigestVerifyInit) \
	X(EVP_DigestVerifyInit_ex) \
	X(EVP_DigestVerifyUpdate) \
	X(EVP_EncodeBlock) \
	X(EVP_MD_CTX_free) \
	X(EVP_MD_CTX_new) \
	X(EVP_PKEY_CTX_free) \
	X(EVP_PKEY_CTX_get_app_data) \
	X(EVP_PKEY_CTX_new_from_name) \
	X(EVP_PKEY_CTX_set_app_data) \
	X(EVP_PKEY_CTX_set_cb) \
	X(EVP_PKEY_CTX_set_rsa_keygen_bits) \
	X(EVP_PKEY_CTX_set_rsa_mgf1_md) \
	X(EVP_PKEY_CTX_set_rsa_padding) \
	X(EVP_PKEY_CTX_set_rsa_pss_saltlen) \
	X(EVP_PKEY_eq) \
	X(EVP_PKEY_free) \
	X(EVP_PKEY_fromdata) \
	X(EVP_PKEY_fromdata_init) \
	X(EVP_PKEY_get_size) \
	X(EVP_PKEY_is_a) \
	X(EVP_PKEY_keygen) \
	X(EVP_PKEY_keygen_init) \
	X(EVP_PKEY_up_ref) \
	X(EVP_sha1) \
	X(EVP_sha256) \
	X(GENERAL_NAMES_free) \
	X(GENERAL_NAMES_new) \
	X(GENERAL_NAME_free) \
	X(GENERAL_NAME_get0_value) \
	X(GENERAL_NAME_new) \
	X(GENERAL_NAME_set0_value) \
	X(OPENSSL_cleanse) \
	X(OPENSSL_sk_num) \
	X(OPENSSL_sk_push) \
	X(OPENSSL_sk_value) \
	X(OSSL_ENCODER_CTX_free) \
	X(OSSL_ENCODER_CTX_get_num_encoders) \
	X(OSSL_ENCODER_CTX_new_for_pkey) \
	X(OSSL_ENCODER_to_data) \
	X(OSSL_PARAM_BLD_free) \
	X(OSSL_PARAM_BLD_new) \
	X(OSSL_PARAM_BLD_push_BN) \
	X(OSSL_PARAM_BLD_to_param) \
	X(OSSL_PARAM_free) \
	X(PEM_read_bio) \
	X(PEM_read_bio_PrivateKey) \
	X(PEM_read_bio_X509) \
	X(PEM_write_bio_X509) \
	X(RAND_priv_bytes_ex) \
	X(X509_NAME_ENTRY_get_data) \
	X(X509_NAME_add_entry_by_NID) \
	X(X509_NAME_free) \
	X(X509_NAME_get_entry) \
	X(X509_NAME_get_index_by_NID) \
	X(X509_NAME_get_text_by_NID) \
	X(X509_NAME_new) \
	X(X509_STORE_CTX_free) \
	X(X509_STORE_CTX_get_error) \
	X(X509_STORE_CTX_init) \
	X(X509_STORE_CTX_new) \
	X(X509_STORE_add_cert) \
	X(X509_STORE_free) \
	X(X509_STORE_new) \
	X(X509_add1_ext_i2d) \
	X(X509_check_ca) \
	X(X509_check_issued) \
	X(X509_check_private_key) \
	X(X509_cmp) \
	X(X509_cmp_current_time) \
	X(X509_free) \
	X(X509_get0_notAfter) \
	X(X509_get0_notBefore) \
	X(X509_get0_pubkey) \
	X(X509_get0_subject_key_id) \
	X(X509_get_ext_d2i) \
	X(X509_get_extension_flags) \
	X(X509_get_subject_name) \
	X(X509_getm_notAfter) \
	X(X509_getm_notBefore) \
	X(X509_new) \
	X(X509_pubkey_digest) \
	X(X509_set1_notAfter) \
	X(X509_set_issuer_name) \
	X(X509_set_pubkey) \
	X(X509_set_serialNumber) \
	X(X509_set_subject_name) \
	X(X509_set_version) \
	X(X509_sign) \
	X(X509_time_adj_ex) \
	X(X509_up_ref) \
	X(X509_verify) \
	X(X509_verify_cert) \
	X(X509_verify_cert_error_string) \
	X(d2i_X509)

typedef struct ccp_crypto_api {
/* f names a field: it cannot be parenthesised */
#define CCP_CRYPTO_FIELD(f) __typeof__(f) *f; /* NOLINT(bugprone-macro-parentheses) */
	CCP_CRYPTO_FUNCS(CCP_CRYPTO_FIELD)
#undef CCP_CRYPTO_FIELD
} ccp_crypto_api;

/** The loaded functions; loads libcrypto on the first call. */
const ccp_crypto_api *ccp_crypto(void);

#ifndef CCP_CRYPTO_LAZY_IMPL
#define ASN1_BIT_STRING_free (ccp_crypto()->ASN1_BIT_STRING_free)
#define ASN1_BIT_STRING_new (ccp_crypto()->ASN1_BIT_STRING_new)
#define ASN1_BIT_STRING_set_bit (ccp_crypto()->ASN1_BIT_STRING_set_bit)
#define ASN1_IA5STRING_new (ccp_crypto()->ASN1_IA5STRING_new)
#define ASN1_INTEGER_free (ccp_crypto()->ASN1_INTEGER_free)
#define ASN1_OCTET_STRING_dup (ccp_crypto()->ASN1_OCTET_STRING_dup)
#define ASN1_OCTET_STRING_free (ccp_crypto()->ASN1_OCTET_STRING_free)
#define ASN1_OCTET_STRING_new (ccp_crypto()->ASN1_OCTET_STRING_new)
#define ASN1_OCTET_STRING_set (ccp_crypto()->ASN1_OCTET_STRING_set)
#define ASN1_STRING_free (ccp_crypto()->ASN1_STRING_free)
#define ASN1_STRING_get0_data (ccp_crypto()->ASN1_STRING_get0_data)
#define ASN1_STRING_length (ccp_crypto()->ASN1_STRING_length)
#define ASN1_STRING_set (ccp_crypto()->ASN1_STRING_set)
#define ASN1_STRING_to_UTF8 (ccp_crypto()->ASN1_STRING_to_UTF8)
#define ASN1_TIME_compare (ccp_crypto()->ASN1_TIME_compare)
#define ASN1_TIME_diff (ccp_crypto()->ASN1_TIME_diff)
#define AUTHORITY_KEYID_free (ccp_crypto()->AUTHORITY_KEYID_free)
#define AUTHORITY_KEYID_new (ccp_crypto()->AUTHORITY_KEYID_new)
#define BASIC_CONSTRAINTS_free (ccp_crypto()->BASIC_CONSTRAINTS_free)
#define BASIC_CONSTRAINTS_new (ccp_crypto()->BASIC_CONSTRAINTS_new)
#define BIO_ctrl (ccp_crypto()->BIO_ctrl)
#define BIO_free (ccp_crypto()->BIO_free)
#define BIO_new (ccp_crypto()->BIO_new)
#define BIO_new_mem_buf (ccp_crypto()->BIO_new_mem_buf)
#define BIO_s_mem (ccp_crypto()->BIO_s_mem)
#define BN_CTX_end (ccp_crypto()->BN_CTX_end)
#define BN_CTX_free (ccp_crypto()->BN_CTX_free)
#define BN_CTX_get (ccp_crypto()->BN_CTX_get)
#define BN_CTX_secure_new (ccp_crypto()->BN_CTX_secure_new)
#define BN_CTX_start (ccp_crypto()->BN_CTX_start)
#define BN_MONT_CTX_free (ccp_crypto()->BN_MONT_CTX_free)
#define BN_MONT_CTX_new (ccp_crypto()->BN_MONT_CTX_new)
#define BN_MONT_CTX_set (ccp_crypto()->BN_MONT_CTX_set)
#define BN_add (ccp_crypto()->BN_add)
#define BN_add_word (ccp_crypto()->BN_add_word)
#define BN_bn2lebinpad (ccp_crypto()->BN_bn2lebinpad)
#define BN_clear (ccp_crypto()->BN_clear)
#define BN_clear_free (ccp_crypto()->BN_clear_free)
#define BN_cmp (ccp_crypto()->BN_cmp)
#define BN_copy (ccp_crypto()->BN_copy)
#define BN_div (ccp_crypto()->BN_div)
#define BN_free (ccp_crypto()->BN_free)
#define BN_gcd (ccp_crypto()->BN_gcd)
#define BN_get_word (ccp_crypto()->BN_get_word)
#define BN_is_bit_set (ccp_crypto()->BN_is_bit_set)
#define BN_is_negative (ccp_crypto()->BN_is_negative)
#define BN_is_odd (ccp_crypto()->BN_is_odd)
#define BN_is_one (ccp_crypto()->BN_is_one)
#define BN_is_zero (ccp_crypto()->BN_is_zero)
#define BN_lebin2bn (ccp_crypto()->BN_lebin2bn)
#define BN_mod_exp (ccp_crypto()->BN_mod_exp)
#define BN_mod_exp_mont_consttime (ccp_crypto()->BN_mod_exp_mont_consttime)
#define BN_mod_exp_mont_consttime_x2 (ccp_crypto()->BN_mod_exp_mont_consttime_x2)
#define BN_mod_inverse (ccp_crypto()->BN_mod_inverse)
#define BN_mod_mul (ccp_crypto()->BN_mod_mul)
#define BN_mod_sqr (ccp_crypto()->BN_mod_sqr)
#define BN_mod_sub (ccp_crypto()->BN_mod_sub)
#define BN_mul (ccp_crypto()->BN_mul)
#define BN_new (ccp_crypto()->BN_new)
#define BN_nnmod (ccp_crypto()->BN_nnmod)
#define BN_num_bits (ccp_crypto()->BN_num_bits)
#define BN_priv_rand_range_ex (ccp_crypto()->BN_priv_rand_range_ex)
#define BN_rand (ccp_crypto()->BN_rand)
#define BN_rand_range_ex (ccp_crypto()->BN_rand_range_ex)
#define BN_rshift (ccp_crypto()->BN_rshift)
#define BN_secure_new (ccp_crypto()->BN_secure_new)
#define BN_set_bit (ccp_crypto()->BN_set_bit)
#define BN_set_flags (ccp_crypto()->BN_set_flags)
#define BN_set_word (ccp_crypto()->BN_set_word)
#define BN_sub (ccp_crypto()->BN_sub)
#define BN_sub_word (ccp_crypto()->BN_sub_word)
#define BN_swap (ccp_crypto()->BN_swap)
#define BN_to_ASN1_INTEGER (ccp_crypto()->BN_to_ASN1_INTEGER)
#define BN_ucmp (ccp_crypto()->BN_ucmp)
#define BN_value_one (ccp_crypto()->BN_value_one)
#define CRYPTO_clear_free (ccp_crypto()->CRYPTO_clear_free)
#define CRYPTO_free (ccp_crypto()->CRYPTO_free)
#define ERR_clear_error (ccp_crypto()->ERR_clear_error)
#define ERR_get_error (ccp_crypto()->ERR_get_error)
#define ERR_peek_last_error (ccp_crypto()->ERR_peek_last_error)
#define ERR_reason_error_string (ccp_crypto()->ERR_reason_error_string)
#define EVP_DecodeBlock (ccp_crypto()->EVP_DecodeBlock)
#define EVP_DigestSign (ccp_crypto()->EVP_DigestSign)
#define EVP_DigestSignFinal (ccp_crypto()->EVP_DigestSignFinal)
#define EVP_DigestSignInit (ccp_crypto()->EVP_DigestSignInit)
#define EVP_DigestSignInit_ex (ccp_crypto()->EVP_DigestSignInit_ex)
#define EVP_DigestSignUpdate (ccp_crypto()->EVP_DigestSignUpdate)
#define EVP_DigestVerify (ccp_crypto()->EVP_DigestVerify)
#define EVP_DigestVerifyFinal (ccp_crypto()->EVP_DigestVerifyFinal)
#define EVP_DigestVerifyInit (ccp_crypto()->EVP_DigestVerifyInit)
#define EVP_DigestVerifyInit_ex (ccp_crypto()->EVP_DigestVerifyInit_ex)
#define EVP_DigestVerifyUpdate (ccp_crypto()->EVP_DigestVerifyUpdate)
#define EVP_EncodeBlock (ccp_crypto()->EVP_EncodeBlock)
#define EVP_MD_CTX_free (ccp_crypto()->EVP_MD_CTX_free)
#define EVP_MD_CTX_new (ccp_crypto()->EVP_MD_CTX_new)
#define EVP_PKEY_CTX_free (ccp_crypto()->EVP_PKEY_CTX_free)
#define EVP_PKEY_CTX_get_app_data (ccp_crypto()->EVP_PKEY_CTX_get_app_data)
#define EVP_PKEY_CTX_new_from_name (ccp_crypto()->EVP_PKEY_CTX_new_from_name)
#define EVP_PKEY_CTX_set_app_data (ccp_crypto()->EVP_PKEY_CTX_set_app_data)
#define EVP_PKEY_CTX_set_cb (ccp_crypto()->EVP_PKEY_CTX_set_cb)
#define EVP_PKEY_CTX_set_rsa_keygen_bits (ccp_crypto()->EVP_PKEY_CTX_set_rsa_keygen_bits)
#define EVP_PKEY_CTX_set_rsa_mgf1_md (ccp_crypto()->EVP_PKEY_CTX_set_rsa_mgf1_md)
#define EVP_PKEY_CTX_set_rsa_padding (ccp_crypto()->EVP_PKEY_CTX_set_rsa_padding)
#define EVP_PKEY_CTX_set_rsa_pss_saltlen (ccp_crypto()->EVP_PKEY_CTX_set_rsa_pss_saltlen)
#define EVP_PKEY_eq (ccp_crypto()->EVP_PKEY_eq)
#define EVP_PKEY_free (ccp_crypto()->EVP_PKEY_free)
#define EVP_PKEY_fromdata (ccp_crypto()->EVP_PKEY_fromdata)
#define EVP_PKEY_fromdata_init (ccp_crypto()->EVP_PKEY_fromdata_init)
#define EVP_PKEY_get_size (ccp_crypto()->EVP_PKEY_get_size)
#define EVP_PKEY_is_a (ccp_crypto()->EVP_PKEY_is_a)
#define EVP_PKEY_keygen (ccp_crypto()->EVP_PKEY_keygen)
#define EVP_PKEY_keygen_init (ccp_crypto()->EVP_PKEY_keygen_init)
#define EVP_PKEY_up_ref (ccp_crypto()->EVP_PKEY_up_ref)
#define EVP_sha1 (ccp_crypto()->EVP_sha1)
#define EVP_sha256 (ccp_crypto()->EVP_sha256)
#define GENERAL_NAMES_free (ccp_crypto()->GENERAL_NAMES_free)
#define GENERAL_NAMES_new (ccp_crypto()->GENERAL_NAMES_new)
#define GENERAL_NAME_free (ccp_crypto()->GENERAL_NAME_free)
#define GENERAL_NAME_get0_value (ccp_crypto()->GENERAL_NAME_get0_value)
#define GENERAL_NAME_new (ccp_crypto()->GENERAL_NAME_new)
#define GENERAL_NAME_set0_value (ccp_crypto()->GENERAL_NAME_set0_value)
#define OPENSSL_cleanse (ccp_crypto()->OPENSSL_cleanse)
#define OPENSSL_sk_num (ccp_crypto()->OPENSSL_sk_num)
#define OPENSSL_sk_push (ccp_crypto()->OPENSSL_sk_push)
#define OPENSSL_sk_value (ccp_crypto()->OPENSSL_sk_value)
#define OSSL_ENCODER_CTX_free (ccp_crypto()->OSSL_ENCODER_CTX_free)
#define OSSL_ENCODER_CTX_get_num_encoders (ccp_crypto()->OSSL_ENCODER_CTX_get_num_encoders)
#define OSSL_ENCODER_CTX_new_for_pkey (ccp_crypto()->OSSL_ENCODER_CTX_new_for_pkey)
#define OSSL_ENCODER_to_data (ccp_crypto()->OSSL_ENCODER_to_data)
#define OSSL_PARAM_BLD_free (ccp_crypto()->OSSL_PARAM_BLD_free)
#define OSSL_PARAM_BLD_new (ccp_crypto()->OSSL_PARAM_BLD_new)
#define OSSL_PARAM_BLD_push_BN (ccp_crypto()->OSSL_PARAM_BLD_push_BN)
#define OSSL_PARAM_BLD_to_param (ccp_crypto()->OSSL_PARAM_BLD_to_param)
#define OSSL_PARAM_free (ccp_crypto()->OSSL_PARAM_free)
#define PEM_read_bio (ccp_crypto()->PEM_read_bio)
#define PEM_read_bio_PrivateKey (ccp_crypto()->PEM_read_bio_PrivateKey)
#define PEM_read_bio_X509 (ccp_crypto()->PEM_read_bio_X509)
#define PEM_write_bio_X509 (ccp_crypto()->PEM_write_bio_X509)
#define RAND_priv_bytes_ex (ccp_crypto()->RAND_priv_bytes_ex)
#define X509_NAME_ENTRY_get_data (ccp_crypto()->X509_NAME_ENTRY_get_data)
#define X509_NAME_add_entry_by_NID (ccp_crypto()->X509_NAME_add_entry_by_NID)
#define X509_NAME_free (ccp_crypto()->X509_NAME_free)
#define X509_NAME_get_entry (ccp_crypto()->X509_NAME_get_entry)
#define X509_NAME_get_index_by_NID (ccp_crypto()->X509_NAME_get_index_by_NID)
#define X509_NAME_get_text_by_NID (ccp_crypto()->X509_NAME_get_text_by_NID)
#define X509_NAME_new (ccp_crypto()->X509_NAME_new)
#define X509_STORE_CTX_free (ccp_crypto()->X509_STORE_CTX_free)
#define X509_STORE_CTX_get_error (ccp_crypto()->X509_STORE_CTX_get_error)
#define X509_STORE_CTX_init (ccp_crypto()->X509_STORE_CTX_init)
#define X509_STORE_CTX_new (ccp_crypto()->X509_STORE_CTX_new)
#define X509_STORE_add_cert (ccp_crypto()->X509_STORE_add_cert)
#define X509_STORE_free (ccp_crypto()->X509_STORE_free)
#define X509_STORE_new (ccp_crypto()->X509_STORE_new)
#define X509_add1_ext_i2d (ccp_crypto()->X509_add1_ext_i2d)
#define X509_check_ca (ccp_crypto()->X509_check_ca)
#define X509_check_issued (ccp_crypto()->X509_check_issued)
#define X509_check_private_key (ccp_crypto()->X509_check_private_key)
#define X509_cmp (ccp_crypto()->X509_cmp)
#define X509_cmp_current_time (ccp_crypto()->X509_cmp_current_time)
#define X509_free (ccp_crypto()->X509_free)
#define X509_get0_notAfter (ccp_crypto()->X509_get0_notAfter)
#define X509_get0_notBefore (ccp_crypto()->X509_get0_notBefore)
#define X509_get0_pubkey (ccp_crypto()->X509_get0_pubkey)
#define X509_get0_subject_key_id (ccp_crypto()->X509_get0_subject_key_id)
#define X509_get_ext_d2i (ccp_crypto()->X509_get_ext_d2i)
#define X509_get_extension_flags (ccp_crypto()->X509_get_extension_flags)
#define X509_get_subject_name (ccp_crypto()->X509_get_subject_name)
#define X509_getm_notAfter (ccp_crypto()->X509_getm_notAfter)
#define X509_getm_notBefore (ccp_crypto()->X509_getm_notBefore)
#define X509_new (ccp_crypto()->X509_new)
#define X509_pubkey_digest (ccp_crypto()->X509_pubkey_digest)
#define X509_set1_notAfter (ccp_crypto()->X509_set1_notAfter)
#define X509_set_issuer_name (ccp_crypto()->X509_set_issuer_name)
#define X509_set_pubkey (ccp_crypto()->X509_set_pubkey)
#define X509_set_serialNumber (ccp_crypto()->X509_set_serialNumber)
#define X509_set_subject_name (ccp_crypto()->X509_set_subject_name)
#define X509_set_version (ccp_crypto()->X509_set_version)
#define X509_sign (ccp_crypto()->X509_sign)
#define X509_time_adj_ex (ccp_crypto()->X509_time_adj_ex)
#define X509_up_ref (ccp_crypto()->X509_up_ref)
#define X509_verify (ccp_crypto()->X509_verify)
#define X509_verify_cert (ccp_crypto()->X509_verify_cert)
#define X509_verify_cert_error_string (ccp_crypto()->X509_verify_cert_error_string)
#define d2i_X509 (ccp_crypto()->d2i_X509)
#endif

#endif
