package signedurl

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SignCanned signs rawURL with a canned policy that expires at expires,
// the way the AWS SDKs do: rawURL + "?" or "&" +
// "Expires=…&Signature=…&Key-Pair-Id=…".
func SignCanned(rawURL string, expires time.Time, keyPairID string, key *rsa.PrivateKey) (string, error) {
	if err := checkSignable(rawURL, keyPairID, key); err != nil {
		return "", err
	}
	exp := strconv.FormatInt(expires.Unix(), 10)
	sig, err := signPolicy(cannedPolicy(rawURL, exp), key)
	if err != nil {
		return "", err
	}
	return join(rawURL, "Expires="+exp, sig, keyPairID), nil
}

// SignCustom signs the exact bytes of policyJSON, which must be a policy
// the edge accepts, and appends it to rawURL:
// "Policy=…&Signature=…&Key-Pair-Id=…". Policy.JSON builds one.
func SignCustom(rawURL, policyJSON, keyPairID string, key *rsa.PrivateKey) (string, error) {
	if err := checkSignable(rawURL, keyPairID, key); err != nil {
		return "", err
	}
	if _, err := ParsePolicy([]byte(policyJSON)); err != nil {
		return "", fmt.Errorf("signedurl: policy: %w", err)
	}
	return signCustom(rawURL, []byte(policyJSON), keyPairID, key)
}

// signCustom signs any bytes; tests use it for malformed policies.
func signCustom(rawURL string, policy []byte, keyPairID string, key *rsa.PrivateKey) (string, error) {
	sig, err := signPolicy(policy, key)
	if err != nil {
		return "", err
	}
	return join(rawURL, "Policy="+encodeURLSafe(policy), sig, keyPairID), nil
}

func checkSignable(rawURL, keyPairID string, key *rsa.PrivateKey) error {
	if key == nil {
		return errors.New("signedurl: no private key")
	}
	if keyPairID == "" {
		return errors.New("signedurl: no key pair id")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("signedurl: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("signedurl: %q is not an http or https URL", rawURL)
	}
	if p, _ := ParseQuery(u.RawQuery); p != (Params{}) {
		return fmt.Errorf("signedurl: %q already has signed-URL parameters", rawURL)
	}
	return nil
}

func signPolicy(policy []byte, key *rsa.PrivateKey) (string, error) {
	digest := sha1.Sum(policy)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA1, digest[:])
	if err != nil {
		return "", fmt.Errorf("signedurl: signing: %w", err)
	}
	return encodeURLSafe(sig), nil
}

func join(rawURL, first, sig, keyPairID string) string {
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	return rawURL + sep + first + "&Signature=" + sig + "&Key-Pair-Id=" + keyPairID
}
