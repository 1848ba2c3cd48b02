package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
)

// -tls and -logs run each edge as a production edge runs: with its HTTPS
// listener (the certificate selector is rebuilt from every revision) and
// with access logs (the log writer's settings too). Without them the
// fleet measures neither.
var (
	edgeTLS  = flag.Bool("tls", false, "each edge serves HTTPS too (--edge-tls-addr, its generated default certificate)")
	edgeLogs = flag.Bool("logs", false, "each edge writes access logs (--log-dir of its own), and every distribution created logs to a bucket granted to the account")
)

// logBucket is the bucket the distributions log to under -logs.
const logBucket = "fleet-logs"

// edgeExtraArgs are the flags -tls and -logs add to edge name's command.
func edgeExtraArgs(tmp, name string) []string {
	var a []string
	if *edgeTLS {
		a = append(a, "--edge-tls-addr", "127.0.0.1:0")
	}
	if *edgeLogs {
		a = append(a, "--log-dir", filepath.Join(tmp, name+"-logs"))
	}
	return a
}

// loggingXML is distConfig's Logging element.
func loggingXML() string {
	if !*edgeLogs {
		return `<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>`
	}
	return `<Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>` + logBucket +
		`.s3.amazonaws.com</Bucket><Prefix>fleet/</Prefix></Logging>`
}

var accountLineRE = regexp.MustCompile(`(?m)^account (\S+)`)

// grantLogBucket grants logBucket to the bootstrap account under -logs
// (neither `serve --no-edge` nor `api` grants it any bucket).
func grantLogBucket(ctx context.Context, cp *controlPlane) error {
	if !*edgeLogs {
		return nil
	}
	cp.p.mu.Lock()
	m := accountLineRE.FindStringSubmatch(cp.p.out.String())
	cp.p.mu.Unlock()
	if m == nil {
		return fmt.Errorf("-logs: the control plane printed no account")
	}
	var out any
	return cp.admin(ctx, &out, "bucket", "grant", "--bucket", logBucket, "--account", m[1])
}

// optionsNote is printed with the run's header.
func optionsNote() string {
	note := fmt.Sprintf("viewer TLS %v, access logs %v", *edgeTLS, *edgeLogs)
	if *pin {
		note += fmt.Sprintf(", pinned: control plane and clients on CPUs %s, edges on %s",
			cpuList(&pinSets.controlPlane), cpuList(&pinSets.rest))
	}
	return note
}
