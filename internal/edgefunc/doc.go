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
// and every call runs that wrapper anew, so top-level var, let, const and
// function declarations start from their initial values each time. With
// frozen built-ins an assignment that would shadow an inherited built-in
// property (obj.toString = f, headers["constructor"] = …) would fail in
// strict mode; the common names are turned into accessors that define an
// own property instead, as Hardened JavaScript does.
//
// # Limits
//
// The time limit is wall-clock time measured from the start of the call,
// enforced by a timer that interrupts the runtime. Goja cannot interrupt
// native (Go) built-ins, so the built-ins whose run time or output size a
// function controls through an argument or a length (the generic Array
// methods on huge array-likes, Function.prototype.apply,
// String.prototype.repeat/padStart/padEnd, Array.from, typed array and
// ArrayBuffer sizes …) are guarded with size caps far above what a
// CloudFront function could use within its 2 MB of memory; see guards.go.
package edgefunc
