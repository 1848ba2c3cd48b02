package v20200531

import "github.com/openfront/openfront/internal/cloudfront"

// The HeadersConfig, CookiesConfig and QueryStringsConfig that cache
// policies and origin request policies share: a behaviour and a list of
// <Name>, under per-shape member names.

// paramSet decodes a HeadersConfig, CookiesConfig or QueryStringsConfig:
// a required behaviour and an optional Quantity/Items list of <Name>.
// Names is nil when the list is absent and empty but not nil when it is
// present with Quantity 0.
func (d *decoder) paramSet(n *node, behavior, list string) cloudfront.ParamSet {
	f := d.Open(n, behavior, list)
	s := cloudfront.ParamSet{Behavior: d.Str(f.Req(behavior))}
	if l := f.Opt(list); l != nil {
		s.Names = append([]string{}, d.Strings(l, "Name")...)
	}
	return s
}

// paramSet writes a HeadersConfig, CookiesConfig or QueryStringsConfig;
// the list only when Names is not nil (Quantity 0 and no Items when
// empty).
func (w *writer) paramSet(name, behavior, list string, s cloudfront.ParamSet) {
	w.Open(name)
	w.Text(behavior, s.Behavior)
	if s.Names != nil {
		w.Strings(list, "Name", s.Names)
	}
	w.Close(name)
}
