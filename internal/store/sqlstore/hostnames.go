package sqlstore

// DomainNameTaken looks in both kinds of distribution; the lower(domain_name)
// indexes of migration 3 serve it.
func (t *Tx) DomainNameTaken(name string) (bool, error) {
	ok, err := t.exists(`SELECT 1 FROM distributions WHERE lower(domain_name) = lower($1)`, name)
	if err != nil || ok {
		return ok, err
	}
	return t.exists(`SELECT 1 FROM streaming_distributions WHERE lower(domain_name) = lower($1)`, name)
}
