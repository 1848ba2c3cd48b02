// Package e2e runs the openfront binary as separate processes and talks to
// them over real sockets: crash safety, several edges, static stability.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/auth"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/openfront once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "openfront-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "openfront")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/openfront").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// freeAddr returns a loopback address nobody listens on right now, for a
// process the test starts later. Ports come from below the kernel's
// ephemeral range (32768 and up on Linux), so that the outgoing
// connections every test makes cannot take one between this probe and the
// process's bind, and none is handed out twice in one test run.
func freeAddr(t *testing.T) string {
	t.Helper()
	freePorts.Lock()
	defer freePorts.Unlock()
	for range 1000 {
		port := 20000 + rand.IntN(12000)
		if freePorts.used[port] {
			continue
		}
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		ln.Close()
		freePorts.used[port] = true
		return ln.Addr().String()
	}
	t.Fatal("freeAddr: no free port found")
	return ""
}

var freePorts = struct {
	sync.Mutex
	used map[int]bool
}{used: map[int]bool{}}

// proc is a running openfront process.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout strings.Builder
	lines  chan string
	done   chan struct{}
}

// start runs the binary with args and waits until its stdout has printed a
// line matching ready.
func start(t *testing.T, ready string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "OPENFRONT_ADMIN_ADDR=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(t.TempDir(), "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, lines: make(chan string, 100), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.stdout.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("%s stderr (tail):\n%s", args[0], tail(string(b), 3000))
		}
	})
	re := regexp.MustCompile(ready)
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line := <-p.lines:
			if re.MatchString(line) {
				return p
			}
		case <-p.done:
			b, _ := os.ReadFile(logFile.Name())
			t.Fatalf("%v exited before it was ready:\n%s\n%s", args, p.output(), tail(string(b), 3000))
		case <-deadline:
			t.Fatalf("%v not ready after 30s:\n%s", args, p.output())
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// stop sends SIGTERM and waits for a graceful exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Errorf("process did not stop within 15s of SIGINT")
		p.kill()
	}
}

// credentials reads the [default] profile of a credentials file.
func credentials(t *testing.T, path string) (id, secret string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			id = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if id == "" || secret == "" {
		t.Fatalf("no credentials in %s", path)
	}
	return id, secret
}

// apiClient signs requests to a control plane.
type apiClient struct {
	base, id, secret string
	http             *http.Client
}

type apiResponse struct {
	status int
	header http.Header
	body   string
}

func (c *apiClient) do(ctx context.Context, method, path, body string, header ...string) (apiResponse, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return apiResponse{}, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	auth.SignLegacy(req, c.id, c.secret, time.Now())
	hc := c.http
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return apiResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return apiResponse{status: res.StatusCode, header: res.Header, body: string(b)}, err
}

func (c *apiClient) must(t *testing.T, method, path, body string, header ...string) apiResponse {
	t.Helper()
	r, err := c.do(context.Background(), method, path, body, header...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	idRE             = regexp.MustCompile(`<Id>([^<]+)</Id>`)
	statusRE         = regexp.MustCompile(`<Status>([^<]+)</Status>`)
	domainRE         = regexp.MustCompile(`<DomainName>(d[^<]+)</DomainName>`)
	summaryIDRE      = regexp.MustCompile(`<DistributionSummary><Id>([^<]+)</Id>`)
	regexpNextMarker = regexp.MustCompile(`<NextMarker>([^<]+)</NextMarker>`)
)

func field(re *regexp.Regexp, body string) string {
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// distConfig is a minimal valid config with one custom origin.
func distConfig(ref, originHost string, originPort int, priceClass string, enabled bool, extra ...string) string {
	aliases := "<Quantity>0</Quantity>"
	if len(extra) > 0 && extra[0] != "" {
		aliases = "<Quantity>1</Quantity><Items><CNAME>" + extra[0] + "</CNAME></Items>"
	}
	return fmt.Sprintf(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">`+
		`<CallerReference>%s</CallerReference><Aliases>%s</Aliases><DefaultRootObject></DefaultRootObject>`+
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>%s</DomainName>`+
		`<CustomOriginConfig><HTTPPort>%d</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig>`+
		`</Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>o</TargetOriginId>`+
		`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>`+
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>`+
		`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>`+
		`<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><Comment>%s</Comment>`+
		`<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>`+
		`<PriceClass>%s</PriceClass><Enabled>%t</Enabled></DistributionConfig>`,
		ref, aliases, originHost, originPort, ref, priceClass, enabled)
}
