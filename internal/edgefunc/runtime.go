package edgefunc

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// slot is one goja runtime of a Program's pool, locked down and holding
// the compiled wrapper of the function's code.
type slot struct {
	p       *Program
	rt      *goja.Runtime
	wrapper goja.Callable // runs the code's top level, returns handler
	require goja.Value    // the require function, the wrapper's argument
	v20     bool

	// store is the key value store of the call running (nil between
	// calls, and for a call with none), gen the number of that call: see
	// cloudfrontModule.
	store KeyValueStore
	gen   uint64

	// eventType is the event type of the call running ("" between calls),
	// origin what it asked of its origin through the cf module's origin
	// helpers (nil when nothing, and between calls): see originHelpers.
	eventType string
	origin    *OriginChange

	now      time.Time // what Date sees during a call
	logs     []string
	logBytes int

	timer   *time.Timer
	fired   chan struct{}
	expired atomic.Bool // the time limit of the current call has passed
	inCall  bool        // a call is running (not the runtime's preparation)

	stringify     goja.Callable  // JSON.stringify (guarded), for console.log
	isArray       nativeFunc     // Array.isArray
	stringCompare *goja.Object   // the default comparison of Array.prototype.sort
	joining       []*goja.Object // the arrays being joined, innermost last
	regexpSizes   map[string]int // see regexpSize
	bufferFrom    goja.Callable  // Buffer.from (2.0)
	bufferCtor    goja.Value     // Buffer (2.0)
	jsonParse     goja.Callable  // JSON.parse (guarded)
	undefined     goja.Value
}

// The lockdown script and the probes of the anonymous intrinsics are
// compiled once for all runtimes.
var (
	compileOnce   sync.Once
	lockdownPrg   *goja.Program
	iteratorsPrg  *goja.Program
	querystrPrg   *goja.Program
	bufferPrg     *goja.Program
	cloudfrontPrg *goja.Program
	intrinsicPrgs []*goja.Program
	compileErr    error
)

func compileShared() {
	keepRegexpClock()
	var err error
	mustCompile := func(name, src string) *goja.Program {
		p, e := goja.Compile(name, src, true)
		if e != nil && err == nil {
			err = fmt.Errorf("edgefunc: compiling %s: %w", name, e)
		}
		return p
	}
	lockdownPrg = mustCompile("lockdown.js", lockdownJS)
	iteratorsPrg = mustCompile("iterators.js", iteratorsJS)
	querystrPrg = mustCompile("querystring.js", querystringJS)
	bufferPrg = mustCompile("buffer.js", bufferJS)
	cloudfrontPrg = mustCompile("cloudfront.js", cloudfrontJS)
	// Each probe is compiled alone: one the engine lacks (an async
	// generator, say) is just skipped.
	for _, src := range anonymousIntrinsics {
		if p, e := goja.Compile("intrinsic.js", src, true); e == nil {
			intrinsicPrgs = append(intrinsicPrgs, p)
		}
	}
	compileErr = err
}

// anonymousIntrinsics reach the built-in objects that no property path
// from the global object leads to; lockdown freezes them too.
var anonymousIntrinsics = []string{
	`Object.getPrototypeOf(function* () {})`,
	`Object.getPrototypeOf(async function () {})`,
	`Object.getPrototypeOf(async function* () {})`,
	`Object.getPrototypeOf([][Symbol.iterator]())`,
	`Object.getPrototypeOf(new Map()[Symbol.iterator]())`,
	`Object.getPrototypeOf(new Set()[Symbol.iterator]())`,
	`Object.getPrototypeOf(''[Symbol.iterator]())`,
	`Object.getPrototypeOf('a'.matchAll(/a/g))`,
	`Object.getPrototypeOf((function* () {})())`,
	`(function () { return Object.getOwnPropertyDescriptor(arguments, 'callee').get; })()`,
	`Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()))`,
}

// newSlot makes and locks down a runtime for p.
func newSlot(p *Program) (s *slot, err error) {
	compileOnce.Do(compileShared)
	if compileErr != nil {
		return nil, compileErr
	}
	defer func() {
		if x := recover(); x != nil {
			s, err = nil, fmt.Errorf("edgefunc: preparing a runtime: %v", x)
		}
	}()
	rt := goja.New()
	s = &slot{p: p, rt: rt, v20: p.runtime == Runtime20, fired: make(chan struct{}, 1), undefined: goja.Undefined(),
		regexpSizes: map[string]int{}}
	rt.SetMaxCallStackSize(MaxCallDepth)
	rt.SetTimeSource(func() time.Time { return s.now })
	s.now = time.Now()

	global := rt.GlobalObject()
	console := rt.NewObject()
	must(console.Set("log", s.native("log", 0, s.consoleLog)))
	must(global.DefineDataProperty("console", console, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))

	modules, err := s.modules()
	if err != nil {
		return nil, err
	}
	roots := []goja.Value{}
	for _, name := range []string{"crypto", "querystring", "buffer", "cloudfront"} {
		if m, ok := modules[name]; ok {
			roots = append(roots, m)
		}
	}
	s.require = s.native("require", 1, func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		if m, ok := modules[name]; ok {
			return m
		}
		panic(rt.NewGoError(fmt.Errorf("Cannot find module '%s'", name)))
	})
	must(global.DefineDataProperty("require", s.require, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	if s.v20 {
		must(global.DefineDataProperty("Buffer", modules["buffer"].ToObject(rt).Get("Buffer"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	} else {
		s.installByteStrings()
	}
	s.installGuards()
	s.jsonParse, _ = goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))

	for _, prg := range intrinsicPrgs {
		if v, err := rt.RunProgram(prg); err == nil {
			roots = append(roots, v)
		}
	}
	lockdown, err := rt.RunProgram(lockdownPrg)
	if err != nil {
		return nil, fmt.Errorf("edgefunc: lockdown: %w", err)
	}
	lock, _ := goja.AssertFunction(lockdown)
	if _, err := lock(goja.Undefined(), rt.NewArray(toAny(roots)...)); err != nil {
		return nil, fmt.Errorf("edgefunc: lockdown: %w", err)
	}

	w, err := rt.RunProgram(p.wrapped)
	if err != nil {
		return nil, fmt.Errorf("edgefunc: loading the code: %w", err)
	}
	s.wrapper, _ = goja.AssertFunction(w)
	s.timer = time.AfterFunc(time.Hour, s.fire)
	s.timer.Stop()
	return s, nil
}

func toAny(vs []goja.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// native makes a Go function a JavaScript function with the given name
// and length (rather than the Go symbol goja would name it after).
func (s *slot) native(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	fn := s.rt.ToValue(f).ToObject(s.rt)
	_ = fn.DefineDataProperty("name", s.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = fn.DefineDataProperty("length", s.rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return fn
}

// throwType throws a JavaScript TypeError from a native function.
func (s *slot) throwType(format string, args ...any) {
	panic(s.rt.NewTypeError(fmt.Sprintf(format, args...)))
}

// throwRange throws a JavaScript RangeError from a native function.
func (s *slot) throwRange(format string, args ...any) {
	ctor, _ := goja.AssertConstructor(s.rt.Get("RangeError"))
	o, err := ctor(nil, s.rt.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	panic(o)
}

// fire is the timer's function: it interrupts the running call (the
// JavaScript code at its next instruction, a guarded built-in at its next
// check).
func (s *slot) fire() {
	s.rt.Interrupt(ErrTimeout)
	s.expired.Store(true)
	s.fired <- struct{}{}
}

func (s *slot) consoleLog(call goja.FunctionCall) goja.Value {
	if s.logBytes >= MaxLogBytes {
		return s.undefined
	}
	room := MaxLogBytes - s.logBytes
	var b strings.Builder
	for i, a := range call.Arguments {
		if b.Len() > room {
			break // the rest would be truncated away
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.logString(a))
	}
	line := b.String()
	if len(line) > room {
		line = truncateUTF8(line, room)
	}
	s.logBytes += len(line) + 1
	s.logs = append(s.logs, line)
	return s.undefined
}

// logString formats one console.log argument: strings as they are,
// errors as "Name: message", other objects as JSON when they have a JSON
// form.
func (s *slot) logString(v goja.Value) string {
	o, ok := v.(*goja.Object)
	if !ok {
		if str, ok := v.(goja.String); ok && str.Length() > MaxLogBytes {
			v = str.Substring(0, MaxLogBytes) // more than a log line keeps
		}
		return v.String()
	}
	switch o.ClassName() {
	case "Error", "Function", "RegExp", "Date", "Symbol":
		return o.String()
	}
	if j, err := s.stringify(s.undefined, o); err == nil && !goja.IsUndefined(j) {
		return j.String()
	} else if err != nil && isUncatchable(err) {
		panic(err)
	}
	return o.String()
}

func truncateUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

func isUncatchable(err error) bool {
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	return errors.As(err, &ie) || errors.As(err, &so)
}

// outcome is what one call produced.
type outcome struct {
	res     *Result
	err     error
	elapsed time.Duration
	logs    []string
	reuse   bool // the runtime is fit to go back to the pool
}

// call runs the handler on ev in s within the time limit d, with store
// (nil for none) as the function's key value store. Everything that may
// run JavaScript (the handler, the promise jobs, the getters of the
// returned object, an exception's toString) runs while the timer is armed
// and under recover, so a hostile function can neither outlast its
// budget there nor panic the caller.
func (s *slot) call(ev *Event, d time.Duration, store KeyValueStore) (o outcome) {
	start := time.Now()
	s.now = start
	s.logs, s.logBytes = nil, 0
	s.gen++
	s.store = store
	s.eventType, s.origin, s.inCall = ev.Context.EventType, nil, true
	defer func() { s.store, s.eventType, s.origin, s.inCall = nil, "", nil, false }()
	s.expired.Store(false)
	s.timer.Reset(d)
	func() {
		defer func() {
			if x := recover(); x != nil {
				o.res, o.err, o.reuse = nil, s.panicErr(x, d), false
			}
		}()
		o.res, o.err = s.invoke(ev)
		o.reuse = true
	}()
	if !s.timer.Stop() {
		// The timer went off: wait for its Interrupt to have been made so
		// that clearing it below cannot race with it.
		<-s.fired
	}
	s.rt.ClearInterrupt()
	o.elapsed = time.Since(start)
	o.logs = s.logs
	s.logs = nil
	if o.err != nil {
		var re *RunError
		if errors.As(o.err, &re) && re.timeout {
			o.reuse = false
		}
	}
	return o
}

var promiseType = reflect.TypeOf((*goja.Promise)(nil))

// invoke runs the code's top level and the handler and reads the result.
func (s *slot) invoke(ev *Event) (*Result, error) {
	rt := s.rt
	h, err := s.wrapper(rt.GlobalObject(), s.require)
	if err != nil {
		return nil, s.jsErr(err)
	}
	handler, ok := goja.AssertFunction(h)
	if !ok {
		return nil, executionErr("TypeError: handler is not a function")
	}
	event, err := s.eventValue(ev)
	if err != nil {
		return nil, err
	}
	ret, err := handler(s.undefined, event)
	if err != nil {
		return nil, s.jsErr(err)
	}
	if s.v20 {
		if obj, ok := ret.(*goja.Object); ok && obj.ExportType() == promiseType {
			if p, ok := obj.Export().(*goja.Promise); ok {
				switch p.State() {
				case goja.PromiseStateFulfilled:
					ret = p.Result()
				case goja.PromiseStateRejected:
					return nil, executionErr("%s", s.describe(p.Result()))
				default:
					return nil, executionErr("the handler returned a Promise that never settled")
				}
			}
		}
	}
	res, err := s.result(ev, ret)
	if err == nil && res.Request != nil && ev.Context.EventType == ViewerRequest && s.origin != nil {
		res.Origin = s.origin
	}
	return res, err
}

// jsErr turns an error of a goja call into a RunError.
func (s *slot) jsErr(err error) error {
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	var ex *goja.Exception
	switch {
	case errors.As(err, &ie):
		panic(ie) // handled by call's recover: the runtime is not reused
	case errors.As(err, &so):
		panic(so)
	case errors.As(err, &ex):
		return executionErr("%s", s.describe(ex.Value()))
	}
	return executionErr("%v", err)
}

// describe formats a thrown value the way an uncaught exception reads:
// "TypeError: message", at most MaxLogBytes of it.
func (s *slot) describe(v goja.Value) string {
	d := s.describeAll(v)
	if len(d) > MaxLogBytes {
		d = truncateUTF8(d, MaxLogBytes)
	}
	return d
}

func (s *slot) describeAll(v goja.Value) string {
	if v == nil {
		return "Error"
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return "Uncaught " + s.logString(v)
	}
	if o.ClassName() == "Error" {
		name, msg := o.Get("name"), o.Get("message")
		n := "Error"
		if name != nil && !goja.IsUndefined(name) {
			n = s.logString(name)
		}
		if msg == nil || goja.IsUndefined(msg) || msg.String() == "" {
			return n
		}
		return n + ": " + s.logString(msg)
	}
	return "Uncaught " + s.logString(o)
}

// panicErr turns what call recovered into a RunError.
func (s *slot) panicErr(x any, d time.Duration) error {
	var err error
	switch x := x.(type) {
	case *RunError:
		return x
	case budgetSpent:
		return &RunError{Kind: ErrExecution, timeout: true,
			Message: fmt.Sprintf("The function exceeded its time limit of %v", d)}
	case error:
		err = x
	case *goja.Object:
		return executionErr("%s", s.safeDescribe(x))
	default:
		return executionErr("internal error: %v", x)
	}
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	var ex *goja.Exception
	switch {
	case errors.As(err, &ie):
		return &RunError{Kind: ErrExecution, timeout: true,
			Message: fmt.Sprintf("The function exceeded its time limit of %v", d)}
	case errors.As(err, &so):
		return executionErr("RangeError: Maximum call stack size exceeded")
	case errors.As(err, &ex):
		return executionErr("%s", s.safeDescribe(ex.Value()))
	}
	return executionErr("internal error: %v", err)
}

// safeDescribe describes v when no more JavaScript may run: only an Error's
// class is trusted, anything else is named by its type.
func (s *slot) safeDescribe(v goja.Value) (out string) {
	defer func() {
		if recover() != nil {
			out = "Error"
		}
	}()
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "Error" {
		return s.describe(o)
	}
	if _, ok := v.(*goja.Object); ok {
		return "Uncaught exception"
	}
	return "Uncaught " + v.String()
}

// utilization is elapsed as a whole percentage of d, rounded up, 0–100.
func utilization(elapsed, d time.Duration) int {
	u := int(math.Ceil(float64(elapsed) * 100 / float64(d)))
	return max(0, min(100, u))
}
