package edgefunc

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// The runtimes Compile accepts.
const (
	Runtime10 = "cloudfront-js-1.0"
	Runtime20 = "cloudfront-js-2.0"
)

// The event types a function runs on.
const (
	ViewerRequest  = "viewer-request"
	ViewerResponse = "viewer-response"
)

// DefaultTimeLimit is the time budget of a call whose Limits.Time is zero.
// CloudFront documents only that a function's compute utilization is
// measured against a maximum allowed time (said to be about 1 ms). The
// budget here is wall-clock time on a shared, possibly small (2-core) and
// noisy host: a GC pause or a descheduled goroutine counts against it, so
// 1 ms would fail healthy functions now and then. 5 ms leaves a margin of
// several times a typical function's run (tens of microseconds warm) while
// still bounding what a runaway function costs the edge.
const DefaultTimeLimit = 5 * time.Millisecond

// MaxCallDepth is the deepest JavaScript call stack a function may build;
// deeper recursion is a RangeError-like execution error, not a crash.
const MaxCallDepth = 1000

// MaxLogBytes is how much console.log output a call keeps: CloudFront
// truncates function logs at 10 KB.
const MaxLogBytes = 10 * 1024

// Limits bounds one call.
type Limits struct {
	// Time is the wall-clock budget of the call, from the start of the
	// handler to its (settled) return and the reading of its result. Zero
	// means DefaultTimeLimit.
	Time time.Duration
	// KeyValueStore is the key value store associated with the function,
	// the one cf.kvs() reads (runtime 2.0); nil means none is associated.
	// The call reads it only while it runs and keeps no reference to it.
	KeyValueStore KeyValueStore
}

func (l Limits) time() time.Duration {
	if l.Time <= 0 {
		return DefaultTimeLimit
	}
	return l.Time
}

// Errors of Run and RunJSON. A *RunError matches ErrValidation or
// ErrExecution with errors.Is (and ErrTimeout as well when the time limit
// ended the call), which is what the edge maps to CloudFront's 503
// FunctionValidationError or FunctionExecutionError.
var (
	// ErrValidation: the handler returned something CloudFront would not
	// accept (not an object, a request without uri, a non-string header
	// value, a status code out of range, a read-only or disallowed header…).
	ErrValidation = errors.New("FunctionValidationError")
	// ErrExecution: the handler threw, ran out of time or stack, or could
	// not run at all.
	ErrExecution = errors.New("FunctionExecutionError")
	// ErrTimeout: the call exceeded its time limit (also an ErrExecution).
	ErrTimeout = errors.New("function exceeded its time limit")
)

// RunError is the error of a call that ran (or tried to) and failed. Its
// message is fit for TestFunction's FunctionErrorMessage.
type RunError struct {
	Kind    error // ErrValidation or ErrExecution
	Message string
	timeout bool
}

func (e *RunError) Error() string { return e.Message }

// Unwrap makes errors.Is see the kind, and ErrTimeout for a timeout.
func (e *RunError) Unwrap() []error {
	if e.timeout {
		return []error{e.Kind, ErrTimeout}
	}
	return []error{e.Kind}
}

func validationErr(format string, args ...any) *RunError {
	return &RunError{Kind: ErrValidation, Message: "The function result failed validation: " + fmt.Sprintf(format, args...)}
}

func executionErr(format string, args ...any) *RunError {
	return &RunError{Kind: ErrExecution, Message: fmt.Sprintf(format, args...)}
}

// EventError is RunJSON's error for an event that is not a CloudFront
// Functions event object: the caller's mistake (InvalidArgument), not the
// function's.
type EventError struct{ Msg string }

func (e *EventError) Error() string { return e.Msg }

// CompileError is Compile's error: an unknown runtime, code that does not
// parse, or code with no handler. The message names the problem and, for a
// syntax error, where it is.
type CompileError struct{ Msg string }

func (e *CompileError) Error() string { return e.Msg }

// Program is a function's compiled code. It is safe for concurrent use:
// calls borrow a runtime from the Program's pool (making one when none is
// idle) and give it back when done.
type Program struct {
	runtime string // Runtime10 or Runtime20
	wrapped *goja.Program

	mu   sync.Mutex
	idle []*slot
	max  int // idle runtimes kept
}

// Compile parses a function's code for runtime ("cloudfront-js-1.0" or
// "cloudfront-js-2.0"). A syntax error, or code that defines no top-level
// function named handler, is an error whose message is fit to show an API
// caller.
//
// Beyond the syntax, the runtime decides what the code may use: 1.0 has
// neither let/const nor async/await (its documentation lists them as
// unsupported), which Compile rejects; 2.0 has both, the Buffer global, the
// cloudfront module, crypto digests that default to a Buffer, and import
// declarations of built-in modules at the top of the code (import cf from
// 'cloudfront';), which Compile rewrites into require calls (see
// rewriteImports). 1.0 has the nonstandard String.bytesFrom and
// String.prototype.fromBytes/fromUTF8/toBytes/toUTF8, which 2.0 dropped.
func Compile(runtimeName string, code []byte) (*Program, error) {
	if runtimeName != Runtime10 && runtimeName != Runtime20 {
		return nil, &CompileError{fmt.Sprintf("unsupported runtime %q: the runtime must be %s or %s", runtimeName, Runtime10, Runtime20)}
	}
	if !utf8.Valid(code) {
		return nil, &CompileError{"the function code is not valid UTF-8"}
	}
	src := string(code)
	// The wrapper's parameter is require (see slot.invoke), which the
	// rewritten imports call by the name importAlias.
	param := ""
	if runtimeName == Runtime20 {
		var imports []importSpan
		if src, imports = rewriteImports(src); len(imports) > 0 {
			param = importAlias
		}
	}
	prg, err := goja.Parse("function.js", src)
	if err != nil {
		return nil, &CompileError{syntaxMessage(err)}
	}
	// Before compiling: goja's compiler folds constant BigInt expressions,
	// and 2n ** 10n ** 9n would take it minutes.
	if hasBigInt(prg) {
		return nil, &CompileError{"SyntaxError: BigInt literals are not supported (CloudFront Functions have no BigInt)"}
	}
	// Compiling the code as it stands, in strict mode (CloudFront functions
	// always run strict), catches the early errors the parser leaves to the
	// compiler and proves the code is a well-formed script on its own, so
	// that wrapping it below cannot change how it parses.
	if _, err := goja.CompileAST(prg, true); err != nil {
		return nil, &CompileError{syntaxMessage(err)}
	}
	if !definesHandler(prg) {
		return nil, &CompileError{"the function code must define a top-level function named handler, as in: function handler(event) { … }"}
	}
	if runtimeName == Runtime10 {
		if what := es6Only(prg); what != "" {
			return nil, &CompileError{fmt.Sprintf("SyntaxError: %s is not supported by %s (use %s)", what, Runtime10, Runtime20)}
		}
	}
	wrapped, err := goja.Compile("function.js",
		"(function ("+param+") {"+src+"\n;return typeof handler === 'function' ? handler : undefined;})", true)
	if err != nil {
		// Cannot happen for code that compiled alone, but for code with
		// imports that declares the parameter's name (ǂ) itself with let,
		// const or class; say so plainly.
		return nil, &CompileError{syntaxMessage(err)}
	}
	return &Program{runtime: runtimeName, wrapped: wrapped, max: 2 * runtime.GOMAXPROCS(0)}, nil
}

// Runtime is the runtime the Program was compiled for.
func (p *Program) Runtime() string { return p.runtime }

func syntaxMessage(err error) string {
	msg := err.Error()
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) {
		msg = ce.Error()
	}
	if !strings.HasPrefix(msg, "SyntaxError") {
		msg = "SyntaxError: " + msg
	}
	return msg
}

// definesHandler reports whether the program declares handler at top
// level: a function declaration, or a var/let/const binding (whose value
// is checked to be a function when the code runs).
func definesHandler(prg *ast.Program) bool {
	isHandler := func(list []*ast.Binding) bool {
		for _, b := range list {
			if id, ok := b.Target.(*ast.Identifier); ok && id.Name == "handler" {
				return true
			}
		}
		return false
	}
	for _, st := range prg.Body {
		switch st := st.(type) {
		case *ast.FunctionDeclaration:
			if st.Function.Name != nil && st.Function.Name.Name == "handler" {
				return true
			}
		case *ast.VariableStatement:
			if isHandler(st.List) {
				return true
			}
		case *ast.LexicalDeclaration:
			if isHandler(st.List) {
				return true
			}
		}
	}
	return false
}

var (
	lexicalDeclType = reflect.TypeOf(ast.LexicalDeclaration{})
	forDeclType     = reflect.TypeOf(ast.ForDeclaration{})
	funcLitType     = reflect.TypeOf(ast.FunctionLiteral{})
	arrowLitType    = reflect.TypeOf(ast.ArrowFunctionLiteral{})
	awaitType       = reflect.TypeOf(ast.AwaitExpression{})
	astPkg          = lexicalDeclType.PkgPath()
)

// es6Only names the first construct in prg that runtime 1.0 does not
// support (let, const, async, await), or is "".
func es6Only(prg *ast.Program) string {
	return findInAST(prg, func(t reflect.Type, v reflect.Value) string {
		switch t {
		case lexicalDeclType:
			if v.FieldByName("Token").Interface().(token.Token) == token.CONST {
				return "const"
			}
			return "let"
		case forDeclType:
			if v.FieldByName("IsConst").Bool() {
				return "const"
			}
			return "let"
		case funcLitType, arrowLitType:
			if v.FieldByName("Async").Bool() {
				return "async"
			}
		case awaitType:
			return "await"
		}
		return ""
	})
}

var (
	numberLitType = reflect.TypeOf(ast.NumberLiteral{})
	bigIntType    = reflect.TypeOf((*big.Int)(nil))
)

// hasBigInt reports whether prg has a BigInt literal (1n). The runtimes
// have no BigInt: see removeBigInt.
func hasBigInt(prg *ast.Program) bool {
	return findInAST(prg, func(t reflect.Type, v reflect.Value) string {
		if t == numberLitType {
			if val := v.FieldByName("Value"); !val.IsNil() && val.Elem().Type() == bigIntType {
				return "BigInt"
			}
		}
		return ""
	}) != ""
}

// findInAST walks the nodes of prg's body in source order and returns the
// first answer of find that is not "". find sees each node (a struct of
// goja's ast package) before the nodes it holds.
func findInAST(prg *ast.Program, find func(t reflect.Type, v reflect.Value) string) string {
	var found string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if found != "" {
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			t := v.Type()
			if t.PkgPath() != astPkg {
				return
			}
			if found = find(t, v); found != "" {
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if t.Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(prg.Body))
	return found
}

// get borrows an idle runtime or makes one.
func (p *Program) get() (*slot, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return s, nil
	}
	p.mu.Unlock()
	return newSlot(p)
}

// put gives a runtime back, unless the pool is full.
func (p *Program) put(s *slot) {
	p.mu.Lock()
	if len(p.idle) < p.max {
		p.idle = append(p.idle, s)
	}
	p.mu.Unlock()
}

// Run runs the handler on ev within the limits and returns what it
// returned, validated, with what the function asked of the request's
// origin (Result.Origin). Its error is a *RunError (ErrValidation or
// ErrExecution, with ErrTimeout for a timeout) or, for an event missing
// what the runtime needs, an *EventError.
func (p *Program) Run(ev *Event, lim Limits) (*Result, error) {
	o, err := p.run(ev, lim)
	if err != nil {
		return nil, err
	}
	if o.err == nil {
		if err := checkCustomHeaders(o.res); err != nil {
			return nil, err
		}
	}
	return o.res, o.err
}

func (p *Program) run(ev *Event, lim Limits) (outcome, error) {
	if err := checkEvent(ev); err != nil {
		return outcome{}, err
	}
	s, err := p.get()
	if err != nil {
		return outcome{}, &RunError{Kind: ErrExecution, Message: err.Error()}
	}
	d := lim.time()
	o := s.call(ev, d, lim.KeyValueStore)
	if o.reuse {
		p.put(s)
	}
	return o, nil
}

// RunJSON is TestFunction's form of Run. ev is the JSON event object a
// caller sends (the shape of CloudFront's event structure, e.g.
// {"version":"1.0","context":{"eventType":"viewer-request"},
// "viewer":{"ip":"1.2.3.4"},"request":{…}}); out is the JSON of what the
// handler returned, as CloudFront's FunctionOutput has it:
// {"request":{…}} or {"response":{…}}. logs are the console.log lines
// and utilization the time used as a percentage (0–100) of lim's budget;
// both are set when the function fails too. An event that is not an
// event object is an *EventError.
//
// The origin helpers run as in Run (their arguments are checked, and a
// wrong one fails the call), but what they asked is not part of the
// output: "The Test API and Test console pages don't test whether an
// origin modification has occurred. However, testing ensures that the
// function code executes without error." (For the same reason a custom
// header that the returned request has too, which fails Run, does not
// fail RunJSON.)
func (p *Program) RunJSON(ev []byte, lim Limits) (out []byte, logs []string, utilization int, err error) {
	event, err := parseEvent(ev)
	if err != nil {
		return nil, nil, 0, err
	}
	o, err := p.run(event, lim)
	if err != nil {
		return nil, nil, 0, err
	}
	util := utilizationOf(o, lim.time())
	if o.err != nil {
		return nil, o.logs, util, o.err
	}
	var v any
	if o.res.Request != nil {
		v = struct {
			Request *Request `json:"request"`
		}{o.res.Request}
	} else {
		v = struct {
			Response *Response `json:"response"`
		}{o.res.Response}
	}
	out, err = json.Marshal(v)
	if err != nil {
		return nil, o.logs, util, &RunError{Kind: ErrExecution, Message: err.Error()}
	}
	return out, o.logs, util, nil
}

func utilizationOf(o outcome, d time.Duration) int {
	if errors.Is(o.err, ErrTimeout) {
		return 100
	}
	return utilization(o.elapsed, d)
}

// DropIdle lets go of the Program's idle runtimes (about 1 MB each, up to
// twice GOMAXPROCS of them), e.g. when an edge stops running the function
// or has not for a while. The Program stays usable: a later call makes a
// runtime again (which costs some milliseconds: see newSlot's lockdown).
func (p *Program) DropIdle() {
	p.mu.Lock()
	clear(p.idle)
	p.idle = p.idle[:0]
	p.mu.Unlock()
}
