package edgefunc

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"
)

// memStore is a KeyValueStore in a map. It records the longest key it was
// asked for.
type memStore struct {
	id   string
	data map[string]string
	meta KeyValueStoreMeta

	mu      sync.Mutex
	longest int
}

func (m *memStore) ID() string { return m.id }

func (m *memStore) Get(key string) (string, bool) {
	m.mu.Lock()
	m.longest = max(m.longest, len(key))
	m.mu.Unlock()
	v, ok := m.data[key]
	return v, ok
}

func (m *memStore) Meta() KeyValueStoreMeta { return m.meta }

func newStore(id string, data map[string]string) *memStore {
	return &memStore{id: id, data: data, meta: KeyValueStoreMeta{
		Created:  time.Date(2023, 11, 30, 23, 7, 55, 765_000_000, time.UTC),
		Modified: time.Date(2023, 12, 15, 3, 57, 52, 411_000_000, time.FixedZone("CET", 3600)),
		Keys:     len(data),
	}}
}

const storeID = "8aa76c93-3198-462c-aaf6-0123456789ab"

func testStore() *memStore {
	return newStore(storeID, map[string]string{
		"key":     "value",
		"json":    `{"a":[1,2],"b":"ü"}`,
		"bin":     "\x00\x01\xfe\xff",
		"bad":     "a\xffb",
		"notjson": "{oops",
		"deep":    strings.Repeat("[", 1200) + strings.Repeat("]", 1200),
		"huge":    strings.Repeat("x", maxNativeBytes+1),
		"\ufffd":  "",
		"😀":       "",
	})
}

// kvsOut runs code (which sets the header x-out) with lim and returns the
// header, or the call's error.
func kvsOut(t *testing.T, code string, lim Limits) (string, error) {
	t.Helper()
	p := compile(t, Runtime20, code)
	r, err := p.Run(request("/"), lim)
	if err != nil {
		return "", err
	}
	return r.Request.Headers["x-out"].Value, nil
}

// outOf is a 2.0 function that sets x-out to what expr (in an async
// handler, after the kvsHandle of the docs' example is made) evaluates to
// or, if it throws, to the error's name and message.
func outOf(expr string) string {
	return `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
	var out;
	try { out = String(await (async function () { return ` + expr + `; })()); }
	catch (e) { out = 'threw ' + e.name + ': ' + e.message; }
	event.request.headers['x-out'] = {value: out};
	return event.request;
}`
}

// TestKVS checks the helper methods of CloudFront's "Helper methods for
// key value stores" (cf.kvs(), get with the string, json and bytes
// formats, exists, meta) against a store.
//
// CloudFront documents that get rejects for a key that is not in the
// store, and that cf.kvs() fails without an associated store, but not
// their messages: "Key not found: <key>", "No key value store is
// associated with the function" and "The key value store <id> is not
// associated with the function" are openfront's, made to name what is
// wrong. Neither does it document what an unknown format does: get
// rejects it with a TypeError, as a method returning a Promise reports a
// bad argument (and as Node does an invalid argument value).
func TestKVS(t *testing.T) {
	lim := Limits{Time: testLimits.Time, KeyValueStore: testStore()}
	tests := []struct{ name, expr, want string }{
		{"get, string by default", `await kvsHandle.get('key')`, "value"},
		{"get as string", `await kvsHandle.get('key', {format: 'string'})`, "value"},
		{"get returns a Promise", `kvsHandle.get('key') instanceof Promise && kvsHandle.exists('key') instanceof Promise && kvsHandle.meta() instanceof Promise`, "true"},
		{"get as json", `JSON.stringify(await kvsHandle.get('json', {format: 'json'}))`, `{"a":[1,2],"b":"ü"}`},
		{"get as bytes", `(async () => { var b = await kvsHandle.get('bin', {format: 'bytes'}); return Buffer.isBuffer(b) + ' ' + b.length + ' ' + b.toString('hex'); })()`, "true 4 0001feff"},
		{"get as a string of invalid UTF-8", `JSON.stringify(await kvsHandle.get('bad'))`, "\"a\ufffdb\""},
		{"get of an empty options object", `await kvsHandle.get('key', {})`, "value"},
		{"get of null options", `await kvsHandle.get('key', null)`, "value"},
		{"get of a missing key", `await kvsHandle.get('nope')`, `threw Error: Key not found: "nope"`},
		{"get of a missing key, caught by the Promise", `await kvsHandle.get('nope').then(() => 'found', e => 'rejected ' + e.message)`, `rejected Key not found: "nope"`},
		{"get of an empty key", `await kvsHandle.get('')`, `threw Error: Key not found: ""`},
		{"get of a key longer than 512 bytes", `await kvsHandle.get('k'.repeat(513))`, `threw Error: Key not found: "` + strings.Repeat("k", 64) + `…"`},
		{"get of a key of 171 three-byte characters", `await kvsHandle.get('€'.repeat(171))`, `threw Error: Key not found: "` + strings.Repeat("€", 21) + `…"`},
		{"get of a key with a lone surrogate", `[await kvsHandle.exists('\ud800'), await kvsHandle.exists('\ufffd'), await kvsHandle.exists('\ud83d\ude00')].join()`, "false,true,true"},
		{"get of a non-string key", `await kvsHandle.get(42)`, "threw TypeError: The key must be a string, not a number"},
		{"get with an unknown format", `await kvsHandle.get('key', {format: 'JSON'})`, "threw TypeError: The format option must be 'string', 'json' or 'bytes', not JSON"},
		{"get with a format that is no string", `await kvsHandle.get('key', {format: 1})`, "threw TypeError: The format option must be 'string', 'json' or 'bytes', not 1"},
		{"get with options that are a string", `await kvsHandle.get('key', 'json')`, "threw TypeError: The options argument must be an object, not a string"},
		{"a bad format rejects, it does not throw", `kvsHandle.get('key', {format: 'x'}).catch(e => e.name)`, "TypeError"},
		{"get of a value that is not JSON", `await kvsHandle.get('notjson', {format: 'json'})`, "threw SyntaxError"},
		{"get of JSON nested too deep", `await kvsHandle.get('deep', {format: 'json'})`, "threw RangeError: JSON.parse: values nested more than 1000 deep"},
		{"get of a value too large for a Buffer", `await kvsHandle.get('huge', {format: 'bytes'})`, "threw RangeError: the value of key \"huge\" is larger than 65536 bytes"},
		{"exists", `[await kvsHandle.exists('key'), await kvsHandle.exists('nope'), await kvsHandle.exists('k'.repeat(600))].join()`, "true,false,false"},
		{"exists of a non-string key", `await kvsHandle.exists(undefined)`, "threw TypeError: The key must be a string, not undefined"},
		{"meta", `JSON.stringify(await kvsHandle.meta())`, `{"creationDateTime":"2023-11-30T23:07:55.765Z","lastUpdatedDateTime":"2023-12-15T02:57:52.411Z","keyCount":9}`},
		{"kvs with the store's id", `await cf.kvs('` + storeID + `').get('key')`, "value"},
		{"kvs with another id", `cf.kvs('0e6c1d1c-0000-4000-8000-000000000000')`, `threw Error: The key value store "0e6c1d1c-0000-4000-8000-000000000000" is not associated with the function`},
		{"kvs with an id that is no string", `cf.kvs(1)`, "threw TypeError: The key value store id must be a string"},
		{"require gives the same module", `require('cloudfront') === cf`, "true"},
		{"the handle is frozen", `Object.isFrozen(kvsHandle) && Object.keys(kvsHandle).join()`, "get,exists,meta"},
		{"the module is frozen", `(() => { try { cf.kvs = null } catch (e) { return e.name } })()`, "TypeError"},
		// The origin helpers (origin_test.go) return nothing.
		{"updateRequestOrigin", `cf.updateRequestOrigin({domainName: 'example.org'})`, "undefined"},
		{"selectRequestOriginById", `cf.selectRequestOriginById('origin-1')`, "undefined"},
		{"createRequestOriginGroup", `cf.createRequestOriginGroup({originIds: []})`, "threw RangeError: cf.createRequestOriginGroup: originIds must list two origins (the primary and the secondary), not 0"},
		{"the module's functions", `Object.keys(cf).join() + ' ' + [cf.updateRequestOrigin.name, cf.updateRequestOrigin.length, cf.selectRequestOriginById.length, typeof cf.edgeLocation].join()`, "kvs,updateRequestOrigin,selectRequestOriginById,createRequestOriginGroup updateRequestOrigin,1,2,undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kvsOut(t, outOf(tt.expr), lim)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.want, "SyntaxError") {
				got, _, _ = strings.Cut(got, ":")
			}
			if got != tt.want {
				t.Errorf("%s\n got %s\nwant %s", tt.expr, got, tt.want)
			}
		})
	}
	if n := lim.KeyValueStore.(*memStore).longest; n > maxKeyBytes {
		t.Errorf("the store was asked for a key of %d bytes", n)
	}
}

// TestKVSErrors: a function whose top level makes a handle fails every
// call without a store, as CloudFront's example says ("This fails if
// there is no key value store associated with the function"), and runtime
// 1.0 has no cloudfront module.
func TestKVSErrors(t *testing.T) {
	_, err := kvsOut(t, outOf(`'unreached'`), testLimits)
	if !errors.Is(err, ErrExecution) || err.Error() != "Error: No key value store is associated with the function" {
		t.Errorf("cf.kvs() without a store: %v", err)
	}
	p := compile(t, Runtime10, `function handler(e) { require('cloudfront'); return e.request }`)
	if _, err := p.Run(request("/"), Limits{KeyValueStore: testStore(), Time: testLimits.Time}); err == nil || !strings.Contains(err.Error(), "Cannot find module 'cloudfront'") {
		t.Errorf("1.0 require('cloudfront'): %v", err)
	}
	if _, err := Compile(Runtime10, []byte(outOf("1"))); err == nil || !strings.Contains(err.Error(), "SyntaxError") {
		t.Errorf("1.0 with import: %v", err)
	}
}

// TestKVSTenantIsolation is the tenant-safety property of the stores: one
// Program run with two stores, alternately and at once, sees in each call
// the store of that call only, through a handle made at the top level (a
// "global" of the code), through one made in the handler, and through one
// the code tries to keep across calls; and once a call is over, nothing
// in the runtime holds its store.
func TestKVSTenantIsolation(t *testing.T) {
	code := `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
var kept = kept || kvsHandle; // a top-level var starts undefined every call
async function handler(event) {
	var out = [await kvsHandle.get('tenant'), await cf.kvs().get('tenant'), await kept.get('tenant'),
		(await kvsHandle.meta()).keyCount, await kvsHandle.exists('only-' + event.request.headers['x-tenant'].value)];
	try { globalThis.leak = kvsHandle; } catch (e) { out.push(e.name); }
	try { Object.prototype.leak = kvsHandle; } catch (e) { out.push(e.name); }
	out.push(typeof globalThis.leak, typeof ({}).leak);
	event.request.headers['x-out'] = {value: out.join(' ')};
	return event.request;
}`
	p := compile(t, Runtime20, code)
	stores := map[string]*memStore{
		"a": newStore("aaaaaaaa-0000-4000-8000-000000000000", map[string]string{"tenant": "a", "only-a": ""}),
		"b": newStore("bbbbbbbb-0000-4000-8000-000000000000", map[string]string{"tenant": "b", "only-b": "", "x": "", "y": ""}),
	}
	want := map[string]string{
		"a": "a a a 2 true TypeError TypeError undefined undefined",
		"b": "b b b 4 true TypeError TypeError undefined undefined",
	}
	run := func(tenant string) error {
		ev := request("/")
		ev.Request.Headers["x-tenant"] = Value{Value: tenant}
		lim := testLimits
		if st, ok := stores[tenant]; ok {
			lim.KeyValueStore = st
		}
		r, err := p.Run(ev, lim)
		if err != nil {
			return err
		}
		if got := r.Request.Headers["x-out"].Value; got != want[tenant] {
			return fmt.Errorf("tenant %s sees %q, want %q", tenant, got, want[tenant])
		}
		return nil
	}
	// One runtime, reused: a, then b, then none, then a again.
	for _, tenant := range []string{"a", "b", "a", "b"} {
		if err := run(tenant); err != nil {
			t.Fatal(err)
		}
		if len(p.idle) != 1 {
			t.Fatalf("%d idle runtimes, want the one reused", len(p.idle))
		}
		if err := run("none"); err == nil || !strings.Contains(err.Error(), msgNoStore) {
			t.Fatalf("a call without a store after one with: %v", err)
		}
	}
	// At once, on several runtimes.
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				if err := run(string(rune('a' + (g+i)%2))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range p.idle {
		if s.store != nil {
			t.Errorf("an idle runtime holds a store")
		}
	}

	// Nothing keeps a store once its call is over: a store only this test
	// refers to is collected while the Program and its runtime live on.
	st := newStore(storeID, map[string]string{"tenant": "c", "only-c": ""})
	want["c"] = "c c c 2 true TypeError TypeError undefined undefined"
	stores["c"] = st
	if err := run("c"); err != nil {
		t.Fatal(err)
	}
	w := weak.Make(st)
	delete(stores, "c")
	st = nil
	for i := 0; i < 5 && w.Value() != nil; i++ {
		runtime.GC()
	}
	if w.Value() != nil {
		t.Errorf("the store of a finished call is still reachable")
	}
	runtime.KeepAlive(p)
}

// TestKVSStaleHandle: even a handle that outlived its call (which the
// lockdown and the fresh top level of every call prevent) reads no later
// call's store.
func TestKVSStaleHandle(t *testing.T) {
	p := compile(t, Runtime20, `function handler(e) { return e.request }`)
	s, err := newSlot(p)
	if err != nil {
		t.Fatal(err)
	}
	require, _ := goja.AssertFunction(s.require)
	mod, err := require(goja.Undefined(), s.rt.ToValue("cloudfront"))
	if err != nil {
		t.Fatal(err)
	}
	kvs, _ := goja.AssertFunction(mod.ToObject(s.rt).Get("kvs"))

	s.gen, s.store = 1, testStore()
	h, err := kvs(goja.Undefined())
	if err != nil {
		t.Fatal(err)
	}
	get, _ := goja.AssertFunction(h.ToObject(s.rt).Get("get"))
	settled := func() (goja.PromiseState, string) {
		v, err := get(h, s.rt.ToValue("key"))
		if err != nil {
			t.Fatal(err)
		}
		p := v.Export().(*goja.Promise)
		return p.State(), p.Result().String()
	}
	if state, v := settled(); state != goja.PromiseStateFulfilled || v != "value" {
		t.Fatalf("in its call, get = %v %s", state, v)
	}
	for _, st := range []KeyValueStore{newStore(storeID, map[string]string{"key": "other tenant"}), nil} {
		s.gen, s.store = 2, st
		if state, v := settled(); state != goja.PromiseStateRejected || !strings.Contains(v, msgStaleHandle) {
			t.Errorf("in a later call (store %v), get = %v %s", st, state, v)
		}
	}
}
