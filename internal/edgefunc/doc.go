// Package edgefunc is the CloudFront Functions runtime: it compiles a
// function's JavaScript for the cloudfront-js-1.0 or cloudfront-js-2.0
// runtime and runs its handler on viewer-request and viewer-response
// events, validating what the handler returns the way CloudFront does.
//
// # Engine
//
// The JavaScript engine is github.com/dop251/goja. Goja is a well-kept,
// pure-Go ECMAScript 5.1+ engine with much of ES6 and later (let/const,
// arrow functions, classes, template literals, Promise and async/await,
// typed arrays): no cgo, no second toolchain, it cross-compiles with the
// rest of openfront and its panics and stacks are Go's. It can be
// interrupted from another goroutine (Runtime.Interrupt), which is how the
// time limit is enforced, and it bounds the call depth
// (SetMaxCallStackSize), which turns runaway recursion into an error.
// That is why we chose it over an embedded V8/QuickJS (cgo) or a
// WebAssembly-hosted engine.
//
// # Isolation
//
// A Program keeps a pool of goja runtimes; a call borrows one. Each
// runtime is locked down once, when it is made: eval and the Function
// constructors throw (as CloudFront documents), and every object reachable
// from the global object, the built-in modules and the anonymous
// intrinsics is frozen, so no call can change a built-in or add a global
// that a later call (possibly for another viewer) would see. The code's
// top-level declarations live in a function scope that is made afresh for
// every call: Compile wraps the code as
//
//	(function () { <code>; return handler })
//
// (taking require as a parameter when the code has import declarations)
// and every call runs that wrapper anew, so top-level var, let, const and
// function declarations start from their initial values each time. With
// frozen built-ins an assignment that would shadow an inherited built-in
// property (obj.toString = f, headers["constructor"] = …) would fail in
// strict mode; the common names are turned into accessors that define an
// own property instead, as Hardened JavaScript does.
//
// # Modules, imports and key value stores
//
// require() offers the built-in modules: crypto and querystring in both
// runtimes, buffer and cloudfront in 2.0. Runtime 2.0 code may begin with
// ES module import declarations of them (import cf from 'cloudfront';),
// which goja does not parse: Compile rewrites the leading run of
// declarations of the form import <identifier> from '<module>' into const
// declarations calling require, in the same bytes, so that every other
// character keeps its line and column (imports.go). Other forms are left
// for goja to refuse.
//
// Of CloudFront's cloudfront module, the key value store helpers are
// offered: cf.kvs([id]) returns a handle whose get(key, {format}) (string,
// json or bytes), exists(key) and meta() return Promises. The store is
// the one the call names (Limits.KeyValueStore, a KeyValueStore); without
// one, or with an id not its, cf.kvs throws. A handle reads the store of
// the call that made it, only while that call runs, and the runtime keeps
// no reference to a store after its call (kvs.go), so a pooled runtime
// never lets one call read another's store. cf.edgeLocation is absent.
//
// # Origin modification
//
// The cloudfront module's origin helpers ("Helper methods for origin
// modification") are offered in viewer-request functions, and throw
// CloudFront's "You can update the origin on viewer request CloudFront
// Functions only" in viewer-response ones: cf.updateRequestOrigin(params)
// changes settings of the request's origin (domainName, hostHeader,
// originPath, customHeaders, connectionAttempts, originShield,
// originAccessControlConfig, timeouts, customOriginConfig, sni,
// allowedCertificateNames); cf.selectRequestOriginById(id[, overrides])
// picks another of the distribution's origins; and
// cf.createRequestOriginGroup(params) makes a failover group of two of
// them. Each checks its arguments as the page documents them (types,
// ranges, lengths, the headers CloudFront can't add), throwing a
// TypeError, RangeError or Error at the call, and records what it asked
// for the call running only (origin.go); the edge reads it in
// Result.Origin (an OriginChange; nil when the function asked nothing,
// the last use winning when there are several). Every string recorded is
// bounded and free of control characters, for it goes into the request to
// the origin. RunJSON runs the helpers but, like CloudFront's test API,
// does not report what they asked.
//
// # Limits
//
// The time limit is wall-clock time measured from the start of the call,
// enforced by a timer that interrupts the runtime. Goja cannot interrupt
// native (Go) built-ins, so every built-in whose run time or output size a
// function controls (through a length, a count, an argument's size, or by
// multiplying what it is given: joining many references to one long
// string, stringifying a DAG, a replacement template with $', a wide
// regular expression over a long input…) is guarded (guards.go, bounded.go):
//
//   - size caps, about what a CloudFront function's 2 MB of memory could
//     hold, refuse with a RangeError the calls that would walk or
//     make more than 16384 elements or 2^19 characters, buffers above 64
//     KB, nesting deeper than MaxCallDepth, regular-expression matches
//     whose automaton could run more than about 4M steps;
//   - the built-ins that call back once per element in a Go loop (the
//     built-in iterators, which spreading, Array.from, the collection
//     constructors and Promise.all drive; a sort's comparisons;
//     JSON.stringify's walk; a regular expression's matches) end the call,
//     uncatchably, as soon as its time is up.
//
// Together they keep a call within about 15 ms of its budget (the longest
// step left is one backtracking regular-expression match: regexpTimeout).
// The runtimes have no BigInt (CloudFront documents none): goja computes
// BigInt operators in one uninterruptible step, so 3n ** 10n ** 7n would
// run for seconds; Compile refuses BigInt literals.
//
// What stays open, because goja runs it in its VM rather than in a
// built-in: an object spread or rest ({...s}, var {...r} = s) of a long
// string (or, less so, a typed array) copies one property per character,
// about 1 µs each, uninterruptibly (a 2^19-character string: about 1 s);
// and string concatenation (+, template literals) is bounded by the budget
// only: a function that doubles a string overruns by its last
// concatenation, which copies as much as it built before (tens of
// milliseconds, tens of MB, on a host with slow page faults).
package edgefunc
