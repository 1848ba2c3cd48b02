package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// buildBinary builds cmd/openfront of the module in the current
// directory into dir.
func buildBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "openfront")
	out, err := exec.Command("go", "build", "-o", bin, "./cmd/openfront").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/openfront (run from the module's root): %v\n%s", err, out)
	}
	return bin, nil
}

// proc is a running openfront process; its stderr goes to a file.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	log  string
	mu   sync.Mutex
	out  strings.Builder
}

// start runs bin with args and waits until stdout prints a line matching
// ready. cpus nil: the process runs where this one does (see pin).
func start(cpus *unix.CPUSet, bin, logFile, ready string, args ...string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "OPENFRONT_ADMIN_ADDR=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	lf, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd.Stderr = lf
	if err := startOn(cpus, cmd); err != nil {
		lf.Close()
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{}), log: logFile}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); lf.Close(); close(p.done) }()
	re := regexp.MustCompile(ready)
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l := <-lines:
			if re.MatchString(l) {
				return p, nil
			}
		case <-p.done:
			b, _ := os.ReadFile(logFile)
			return nil, fmt.Errorf("%s %s exited before it was ready:\n%s", bin, args[0], tail(string(b)))
		case <-timeout:
			p.kill()
			return nil, fmt.Errorf("%s %s not ready after 60s", bin, args[0])
		}
	}
}

func tail(s string) string {
	if len(s) > 3000 {
		return s[len(s)-3000:]
	}
	return s
}

func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// stop asks for a graceful exit and kills after 10 s.
func (p *proc) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
}

// rss is the process's resident set size in bytes (Linux).
func (p *proc) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", p.cmd.Process.Pid)
}

// admin runs `openfront admin --json` on the control plane's store.
func (cp *controlPlane) admin(ctx context.Context, out any, args ...string) error {
	a := []string{"admin", "--data", cp.data, "--json"}
	if cp.dsn != "" {
		a = append(a, "--store", cp.dsn)
	}
	cmd := exec.CommandContext(ctx, cp.bin, append(a, args...)...)
	cmd.Env = append(os.Environ(), "OPENFRONT_ADMIN_ADDR=")
	b, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return fmt.Errorf("admin %v: %v: %s", args, err, ee.Stderr)
		}
		return fmt.Errorf("admin %v: %w", args, err)
	}
	return json.Unmarshal(b, out)
}

// edgeKey makes an edge key of price class All with `openfront admin`
// and returns its "keyID:secret".
func (cp *controlPlane) edgeKey(ctx context.Context) (string, error) {
	var k struct {
		FeedAuth string `json:"feed_auth"`
	}
	if err := cp.admin(ctx, &k, "edge-key", "create", "--price-class", "All"); err != nil {
		return "", err
	}
	if k.FeedAuth == "" {
		return "", fmt.Errorf("admin edge-key create: no feed_auth")
	}
	return k.FeedAuth, nil
}

// liveEdges counts the edges the control plane sees as live.
func (cp *controlPlane) liveEdges(ctx context.Context) (int, error) {
	var es []struct {
		Live bool `json:"live"`
	}
	if err := cp.admin(ctx, &es, "edge", "list"); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range es {
		if e.Live {
			n++
		}
	}
	return n, nil
}
