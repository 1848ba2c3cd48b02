package edge

// purge removes cached objects by key prefix. The epoch moves first, so a
// fetch already in flight does not store the purged object again.
func (s *Server) purge(prefixes []string) {
	if len(prefixes) == 0 {
		return
	}
	s.epoch.Add(1)
	s.cache.purge(prefixes)
}
