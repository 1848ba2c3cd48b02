package controlplane

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/openfront/openfront/internal/certs"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// ErrCertificateInUse refuses deleting a certificate a distribution names,
// as ACM's DeleteCertificate answers ResourceInUseException.
var ErrCertificateInUse = errors.New("the certificate is in use by a distribution")

// ImportCertificate checks an imported certificate as ACM does (a key
// that matches, valid now) and stores it under a new ACM-style ARN.
func (s *Service) ImportCertificate(ctx context.Context, accountID string, certPEM, keyPEM, chainPEM []byte) (store.Certificate, error) {
	p, err := certs.Parse(certPEM, keyPEM, chainPEM)
	if err != nil {
		return store.Certificate{}, err
	}
	if err := p.Check(s.now()); err != nil {
		return store.Certificate{}, err
	}
	var c store.Certificate
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		c = store.Certificate{
			ARN: "arn:aws:acm:us-east-1:" + accountID + ":certificate/" + newUUID(), AccountID: accountID,
			CertificatePEM: string(certPEM), ChainPEM: string(chainPEM), PrivateKeyPEM: string(keyPEM),
			Names: p.Names, NotBefore: p.TLS.Leaf.NotBefore, NotAfter: p.NotAfter, Created: s.now(), Revision: rev,
		}
		return tx.InsertCertificate(c)
	})
	if err != nil {
		return store.Certificate{}, err
	}
	s.changed()
	return c, nil
}

// DeleteCertificate deletes a certificate no distribution names.
func (s *Service) DeleteCertificate(ctx context.Context, arn string) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.Certificate(arn)
		if err != nil {
			return err
		}
		ds, err := tx.Distributions(c.AccountID, "", 0)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if namesCertificate(&d.Config, arn) {
				return fmt.Errorf("%w: %s", ErrCertificateInUse, d.ID)
			}
		}
		rev, err := tx.NextRevision()
		if err != nil {
			return err
		}
		return tx.DeleteCertificate(arn, rev)
	})
	if err == nil {
		s.changed()
	}
	return err
}

// namesCertificate reports whether c uses the certificate arn, as its
// viewer certificate or as an origin's mTLS client certificate.
func namesCertificate(c *cloudfront.DistributionConfig, arn string) bool {
	if v := c.ViewerCertificate; v != nil && v.ACMCertificateARN == arn {
		return true
	}
	for _, o := range c.Origins {
		if o.Custom != nil && o.Custom.MTLSCertificateARN == arn {
			return true
		}
	}
	return false
}

// checkViewerCertificate checks, in the transaction, what CloudFront
// checks of a distribution's certificate: an ACM certificate must exist
// in us-east-1 under the caller's account, and cover every CNAME. An IAM
// certificate does not exist here (openfront keeps none). Expiry is not
// checked again: the certificate was valid when imported, and an update
// that leaves it alone should not fail because time passed.
func checkViewerCertificate(tx store.Tx, accountID string, cfg *cloudfront.DistributionConfig) error {
	v := cfg.ViewerCertificate
	if v == nil || v.CloudFrontDefaultCertificate {
		return nil
	}
	const invalid = "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain."
	if !protocolFitsMethod(v.MinimumProtocolVersion, v.SSLSupportMethod) {
		// CloudFront's message; its code is not documented, and
		// InvalidMinimumProtocolVersion is the one its model lists for the member.
		return cloudfront.Errorf(cloudfront.InvalidMinimumProtocolVersion, "The specified MinimumProtocolVersion cannot be used with the specified SSLSupportMethod")
	}
	if v.IAMCertificateID != "" {
		return cloudfront.Errorf(cloudfront.InvalidViewerCertificate, invalid)
	}
	c, err := tx.Certificate(v.ACMCertificateARN)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.AccountID != accountID {
		return cloudfront.Errorf(cloudfront.InvalidViewerCertificate, invalid)
	}
	if err != nil {
		return err
	}
	p, err := certs.Parse([]byte(c.CertificatePEM), []byte(c.PrivateKeyPEM), []byte(c.ChainPEM))
	if err != nil {
		return cloudfront.Errorf(cloudfront.InvalidViewerCertificate, invalid)
	}
	for _, alias := range cfg.Aliases {
		if !p.Covers(alias) {
			return cloudfront.Errorf(cloudfront.InvalidViewerCertificate,
				"To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name. (%s)", strings.ToLower(alias))
		}
	}
	return nil
}

// protocolFitsMethod: SSLv3 only with a dedicated IP (vip), which in turn
// takes only SSLv3 and TLSv1 (CloudFront's legacy clients' policies).
func protocolFitsMethod(protocol, method string) bool {
	switch method {
	case "sni-only":
		return protocol != "SSLv3"
	case "vip":
		return protocol == "" || protocol == "SSLv3" || protocol == "TLSv1"
	}
	return true
}

// newUUID is a random (version 4) UUID, the form of ACM certificate ids.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
