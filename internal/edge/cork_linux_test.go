package edge

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
)

// TestCorkSetsTCPCork: cork sets TCP_CORK on an HTTP/1.1 viewer's
// connection, plain or TLS, and uncork clears it; HTTP/2 and a listener
// without the edge's ConnContext are never corked.
func TestCorkSetsTCPCork(t *testing.T) {
	corkOf := func(c *net.TCPConn) int {
		rc, err := c.SyscallConn()
		if err != nil {
			t.Error(err)
			return -1
		}
		v := -1
		rc.Control(func(fd uintptr) {
			v, err = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK)
		})
		if err != nil {
			t.Error(err)
		}
		return v
	}
	s := &Server{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := cork(r)
		if c == nil {
			w.Write([]byte("none"))
			return
		}
		during := corkOf(c)
		uncork(c)
		w.Write([]byte(strconv.Itoa(during) + " " + strconv.Itoa(corkOf(c))))
	})
	cases := []struct {
		name    string
		hook    bool
		start   func(*httptest.Server)
		want    string
		wantVer int
	}{
		{"http", true, (*httptest.Server).Start, "1 0", 1},
		{"tls", true, (*httptest.Server).StartTLS, "1 0", 1},
		{"h2", true, func(s *httptest.Server) { s.EnableHTTP2 = true; s.StartTLS() }, "none", 2},
		{"http without ConnContext", false, (*httptest.Server).Start, "none", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(h)
			if c.hook {
				srv.Config.ConnContext = s.ConnContext
			}
			c.start(srv)
			defer srv.Close()
			r := rawGet(t, srv)
			if r.body != c.want || r.ProtoMajor != c.wantVer {
				t.Errorf("HTTP/%d %q, want HTTP/%d %q", r.ProtoMajor, r.body, c.wantVer, c.want)
			}
		})
	}
}

func rawGet(t *testing.T, srv *httptest.Server) response {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := make([]byte, 64)
	n, _ := resp.Body.Read(b)
	return response{resp, string(b[:n])}
}
