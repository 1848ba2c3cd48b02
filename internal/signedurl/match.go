package signedurl

// match reports whether the whole of s matches pattern, where '*' stands
// for zero or more bytes and '?' for exactly one (spec §9.2). It runs in
// O(len(pattern)·len(s)) at worst, with no recursion, whatever the input.
func match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0 // last '*' seen in pattern, and where s stood then
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]) && pattern[p] != '*':
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			// Let the last '*' swallow one more byte and try again.
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
