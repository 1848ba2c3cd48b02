// Command mkdist creates a distribution in front of a custom HTTP origin
// through openfront's CloudFront API, waits until it is Deployed and
// prints its domain name. It reads the account's key from the data
// folder's credentials file, as written by "openfront serve".
package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/openfront/openfront/bench/internal/creds"

	"github.com/openfront/openfront/internal/auth"
)

const configTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">
  <CallerReference>bench-%d</CallerReference>
  <Aliases><Quantity>0</Quantity></Aliases>
  <DefaultRootObject></DefaultRootObject>
  <Origins><Quantity>1</Quantity><Items><Origin>
    <Id>origin</Id>
    <DomainName>127.0.0.1</DomainName>
    <CustomOriginConfig>
      <HTTPPort>%d</HTTPPort>
      <HTTPSPort>443</HTTPSPort>
      <OriginProtocolPolicy>http-only</OriginProtocolPolicy>
    </CustomOriginConfig>
  </Origin></Items></Origins>
  <DefaultCacheBehavior>
    <TargetOriginId>origin</TargetOriginId>
    <ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>
    <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
    <ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>
    <MinTTL>0</MinTTL>
  </DefaultCacheBehavior>
  <CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>
  <Comment>benchmark</Comment>
  <Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>
  <PriceClass>PriceClass_All</PriceClass>
  <Enabled>true</Enabled>
</DistributionConfig>`

type distribution struct {
	ID         string `xml:"Id"`
	Status     string `xml:"Status"`
	DomainName string `xml:"DomainName"`
}

func main() {
	api := flag.String("api", "http://127.0.0.1:8080", "base URL of the CloudFront API")
	creds := flag.String("credentials", "", "credentials file written by openfront serve")
	originPort := flag.Int("origin-port", 0, "HTTP port of the origin on 127.0.0.1")
	wait := flag.Duration("wait", 60*time.Second, "how long to wait for Deployed")
	flag.Parse()
	if err := run(*api, *creds, *originPort, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
}

func run(api, credsPath string, originPort int, wait time.Duration) error {
	id, secret, err := creds.Read(credsPath)
	if err != nil {
		return err
	}
	body := fmt.Sprintf(configTemplate, time.Now().UnixNano(), originPort)
	var d distribution
	if err := call(http.MethodPost, api+"/2012-07-01/distribution", body, id, secret, http.StatusCreated, &d); err != nil {
		return err
	}
	deadline := time.Now().Add(wait)
	for d.Status != "Deployed" {
		if time.Now().After(deadline) {
			return fmt.Errorf("distribution %s still %s after %s", d.ID, d.Status, wait)
		}
		time.Sleep(100 * time.Millisecond)
		if err := call(http.MethodGet, api+"/2012-07-01/distribution/"+d.ID, "", id, secret, http.StatusOK, &d); err != nil {
			return err
		}
	}
	fmt.Println(d.DomainName)
	return nil
}

func call(method, url, body, id, secret string, want int, out *distribution) error {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "text/xml")
	}
	auth.SignLegacy(req, id, secret, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s\n%s", method, url, resp.Status, b)
	}
	return xml.NewDecoder(bytes.NewReader(b)).Decode(out)
}
