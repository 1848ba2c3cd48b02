package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// childEnv, when set, makes TestDurability the child: it names the
// database to write to.
const childEnv = "OPENFRONT_SQLITE_DURABILITY_CHILD"

// durable is the distribution the child writes under id.
func durable(id string, rev int64) cloudfront.Distribution {
	return cloudfront.Distribution{
		ID: id, AccountID: "111111111111", DomainName: id + ".cloudfront.net", ETag: "ETAG" + id,
		LastModifiedTime: time.UnixMilli(1_800_000_000_000).UTC(), Revision: rev,
		Config: cloudfront.DistributionConfig{
			CallerReference: "ref-" + id, Aliases: []string{id + ".example.com"}, Comment: strings.Repeat(id, 20),
			Origins: []cloudfront.Origin{{ID: "o", DomainName: "origin.example.com", Custom: &cloudfront.CustomOriginConfig{HTTPPort: 80}}},
		},
	}
}

// TestDurability kills a writer mid-burst with SIGKILL and checks that
// every insert it acknowledged survived, whole.
func TestDurability(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		durabilityChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "durable.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurability$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const before = 300 // acknowledgements to wait for before the kill
	var acked []string
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		id, ok := strings.CutPrefix(lines.Text(), "ack ")
		if !ok {
			continue
		}
		acked = append(acked, id)
		if len(acked) == before {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd.Wait()
	if len(acked) < before {
		t.Fatalf("child acknowledged %d inserts before exiting, want at least %d", len(acked), before)
	}

	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx store.Tx) error {
		for i, id := range acked {
			got, err := tx.Distribution(id)
			if err != nil {
				t.Errorf("acknowledged insert %s: %v", id, err)
				continue
			}
			if want := durable(id, int64(i+1)); !reflect.DeepEqual(got, want) {
				t.Errorf("acknowledged insert %s:\n got %+v\nwant %+v", id, got, want)
			}
		}
		rev, err := tx.Revision()
		if err != nil {
			return err
		}
		if rev < int64(len(acked)) {
			t.Errorf("Revision = %d after %d acknowledged inserts", rev, len(acked))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d acknowledged inserts survived SIGKILL", len(acked))
}

// durabilityChild inserts distributions until it is killed, printing each
// id once its Update has returned.
func durabilityChild(path string) {
	s, err := Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 1; ; i++ {
		id := fmt.Sprintf("E%013d", i)
		err := s.Update(context.Background(), func(tx store.Tx) error {
			rev, err := tx.NextRevision()
			if err != nil {
				return err
			}
			return tx.InsertDistribution(durable(id, rev))
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "ack %s\n", id)
		w.Flush()
	}
}
