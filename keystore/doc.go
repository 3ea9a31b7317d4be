// Package keystore makes, saves and loads the RSA keys an NHS API platform
// application signs its client assertions with, and writes the JSON Web Key
// Set (RFC 7517) the platform verifies them against.
//
// The file layout is the one NHS's guide and its mock-authentication.py use:
// <kid>.pem (PKCS#1 private key, mode 0600), <kid>.pem.pub (SubjectPublicKeyInfo
// public key) and <kid>.json (the JWKS). See "Application-restricted RESTful
// APIs - signed JWT authentication", step 2, on digital.nhs.uk.
//
// JWKs are parsed, and RFC 7638 thumbprints computed, by go-jose; the JWKS
// writer is keystore's own, so the files keep the NHS guide's layout. Every
// file it reads must be a regular file of at most MaxFileSize bytes.
//
// keystore depends on nothing else in nhsauth: no HTTP, no UI.
package keystore
