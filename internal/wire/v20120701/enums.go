package v20120701

import "github.com/openfront/openfront/internal/cloudfront"

// The model is the superset of every API version, so its validation takes
// values that arrived after 2012-07-01 (redirect-to-https, https-only,
// PriceClass None). A 2012-07-01 request cannot name them: its schema has
// no such values, and the client would not understand them.

// check2012Enums returns InvalidArgument for a value of c that only a
// later API version has.
func check2012Enums(c *cloudfront.DistributionConfig) error {
	if err := checkPriceClass2012(c.PriceClass); err != nil {
		return err
	}
	for _, o := range c.Origins {
		if o.Custom != nil && o.Custom.OriginProtocolPolicy == cloudfront.OriginHTTPSOnly {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "OriginProtocolPolicy must be %s or %s in API version 2012-07-01.",
				cloudfront.OriginHTTPOnly, cloudfront.OriginMatchViewer)
		}
	}
	for _, b := range append([]cloudfront.CacheBehavior{c.DefaultCacheBehavior}, c.CacheBehaviors...) {
		if b.ViewerProtocolPolicy == cloudfront.ViewerRedirectToHTTPS {
			return cloudfront.Errorf(cloudfront.InvalidArgument, "ViewerProtocolPolicy must be %s or %s in API version 2012-07-01.",
				cloudfront.ViewerAllowAll, cloudfront.ViewerHTTPSOnly)
		}
	}
	return nil
}

func checkPriceClass2012(pc string) error {
	if pc == cloudfront.PriceClassNone {
		return cloudfront.Errorf(cloudfront.InvalidArgument, "PriceClass must be %s, %s or %s in API version 2012-07-01.",
			cloudfront.PriceClass100, cloudfront.PriceClass200, cloudfront.PriceClassAll)
	}
	return nil
}
