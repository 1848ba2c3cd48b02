package sqlstore

import (
	"github.com/openfront/openfront/internal/cloudfront"
)

func scanTag(s interface{ Scan(...any) error }) (cloudfront.Tag, error) {
	var t cloudfront.Tag
	err := s.Scan(&t.Key, &t.Value)
	return t, err
}

func (t *Tx) Tags(resource string) ([]cloudfront.Tag, error) {
	return collect(t, scanTag, `SELECT tag_key, tag_value FROM resource_tags WHERE resource = $1 ORDER BY tag_key`, resource)
}

func (t *Tx) SetTags(resource string, tags []cloudfront.Tag) error {
	if _, err := t.exec(`DELETE FROM resource_tags WHERE resource = $1`, resource); err != nil {
		return err
	}
	for _, tag := range tags {
		if _, err := t.exec(`INSERT INTO resource_tags (resource, tag_key, tag_value) VALUES ($1, $2, $3)`,
			resource, tag.Key, tag.Value); err != nil {
			return t.constraint(err)
		}
	}
	return nil
}
