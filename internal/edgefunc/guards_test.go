package edgefunc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestGuardedBuiltinsBehave: the guarded built-ins give what they gave
// before they were guarded, on ordinary input (the expected values are
// Node's).
func TestGuardedBuiltinsBehave(t *testing.T) {
	checks := []struct{ expr, want string }{
		{"[1, [2, [3, null]], undefined, 'x'].join('-')", "1-2,3,--x"},
		{"String([1, [2, 3], [], [[]]])", "1,2,3,,"},
		{"(function () { var a = [1, 2]; a.push(a); return a.join() })()", "1,2,"},
		{"[1.5, 'a', null].toLocaleString()", "1.5,a,"},
		{"Array.prototype.join.call({length: 3, 0: 'a', 2: 'c'}, '+')", "a++c"},
		{"Array.prototype.join.call('abc', '.')", "a.b.c"},
		{"[1, 2].join(undefined)", "1,2"},
		{"new Array(3).join('ab')", "abab"},
		{"JSON.stringify([].concat([1], 2, [[3]], {length: 1, 0: 'z'}))", "[1,2,[3],{\"0\":\"z\",\"length\":1}]"},
		{"(function () { var o = {length: 2, 0: 'a', 1: 'b'}; o[Symbol.isConcatSpreadable] = true; return JSON.stringify([0].concat(o)) })()", "[0,\"a\",\"b\"]"},
		{"JSON.stringify([1, [2, [3, [4]]]].flat())", "[1,2,[3,[4]]]"},
		{"JSON.stringify([1, [2, [3, [4]]]].flat(Infinity))", "[1,2,3,4]"},
		{"JSON.stringify([1, [2, [3, [4]]]].flat(0))", "[1,[2,[3,[4]]]]"},
		{"JSON.stringify([1, 2].flatMap(function (x) { return [x, x * 10] }))", "[1,10,2,20]"},
		{"JSON.stringify([1, 2].flatMap(function (x) { return this.k + x }, {k: 5}))", "[6,7]"},
		{"JSON.stringify([3, 20, 100, undefined, 1].sort())", "[1,100,20,3,null]"},
		{"JSON.stringify([3, 20, 100, 1].sort(function (a, b) { return a - b }))", "[1,3,20,100]"},
		{"JSON.stringify([3, 20, 100, 1].toSorted())", "[1,100,20,3]"},
		{"JSON.stringify(Array.from(new Float64Array([3, -0, 0, NaN, -1]).sort()))", "[-1,0,0,3,null]"},
		{"JSON.stringify(Array.from(new Int8Array([3, -1, 2]).sort(function (a, b) { return b - a })))", "[3,2,-1]"},
		{"'ab'.concat(1, null, [2, 3], {toString: function () { return 'o' }})", "ab1null2,3o"},
		{"'ab'.repeat(3) + '|' + 'é'.repeat(2) + '|' + ''.repeat(5) + '|' + 'x'.repeat(0)", "ababab|éé||"},
		{"JSON.stringify('a,b,,c'.split(','))", "[\"a\",\"b\",\"\",\"c\"]"},
		{"JSON.stringify('a,b,,c'.split(',', 2))", "[\"a\",\"b\"]"},
		{"JSON.stringify('abc'.split(''))", "[\"a\",\"b\",\"c\"]"},
		{"JSON.stringify('abc'.split())", "[\"abc\"]"},
		{"JSON.stringify('a1b2c3'.split(/\\d/))", "[\"a\",\"b\",\"c\",\"\"]"},
		{"JSON.stringify('a1b2c3'.split(/(\\d)/, 4))", "[\"a\",\"1\",\"b\",\"2\"]"},
		{"'aXbXc'.replace('X', '[$&$$]')", "a[X$]bXc"},
		{"'aXbXc'.replaceAll('X', \"[$`|$']\")", "a[a|bXc]b[aXb|c]c"},
		{"'aXbXc'.replaceAll('X', function (m, p, s) { return m.toLowerCase() + p })", "ax1bx3c"},
		{"'2024-01-02'.replace(/(\\d+)-(\\d+)-(\\d+)/, '$3/$2/$1 $0 $4 $10')", "02/01/2024 $0 $4 20240"},
		{"'aaa'.replace(/a/g, '$&$&')", "aaaaaa"},
		{"'abc'.replace(/(?<l>b)/, '[$<l>]')", "a[$<l>]c"}, // goja's templates have no $<name> (Node: a[b]c)
		{"'abc'.replace(/b/g, function () { return arguments.length })", "a3c"},
		{"String.raw({raw: ['a', 'b', 'c']}, 1, 2, 3)", "a1b2c"},
		{"String.raw`x${1 + 1}\\ny`", "x2\\ny"},
		{"String(RegExp('a+', 'g')) + String(new RegExp(/b/, 'i'))", "/a+/g/b/i"},
		{"JSON.stringify('xAyAz'.match(/A/g)) + JSON.stringify('xyz'.match(/q/g))", "[\"A\",\"A\"]null"},
		{"JSON.stringify([...'a1b22'.matchAll(/\\d+/g)].map(function (m) { return m[0] + m.index }))", "[\"11\",\"223\"]"},
		{"'hello'.search(/l+/) + '' + /l/.test('hello') + JSON.stringify(/(l)(o)/.exec('hello').slice())", "2true[\"lo\",\"l\",\"o\"]"},
		{"JSON.stringify({b: 1, a: [1, 'x', {c: null}], d: undefined, e: function () {}})", "{\"b\":1,\"a\":[1,\"x\",{\"c\":null}]}"},
		{"JSON.stringify({b: 1, a: {c: 2, d: 3}, 10: 'n', 2: 'm'}, ['a', 'd', '10', 2])", "{\"a\":{\"d\":3},\"10\":\"n\",\"2\":\"m\"}"},
		{"JSON.stringify({a: 1, b: [1, 2]}, function (k, v) { return typeof v === 'number' ? v * 2 : v })", "{\"a\":2,\"b\":[2,4]}"},
		{"JSON.stringify({a: [1, {b: 2}]}, null, 2)", "{\n  \"a\": [\n    1,\n    {\n      \"b\": 2\n    }\n  ]\n}"},
		{"JSON.stringify({a: 1}, null, '--')", "{\n--\"a\": 1\n}"},
		{"JSON.stringify([new Number(3), new String('s'), new Boolean(false), new Date(0)])", "[3,\"s\",false,\"1970-01-01T00:00:00.000Z\"]"},
		{"JSON.stringify({toJSON: function (k) { return 'key:' + k }})", "\"key:\""},
		{"JSON.stringify(new Uint8Array([1, 2]))", "{\"0\":1,\"1\":2}"},
		{"JSON.stringify('\\u2028\\ud800\"\\n')", "\" \\ud800\\\"\\n\""},
		{"(function () { var o = {}; o.o = o; try { JSON.stringify(o); return 'no' } catch (e) { return e.name } })()", "TypeError"},
		{"(function () { var o = {}; o.o = o; try { JSON.stringify(o, ['o']); return 'no' } catch (e) { return e.name } })()", "TypeError"},
		{"JSON.stringify(undefined) + '|' + JSON.stringify(function () {}) + '|' + JSON.stringify(null)", "undefined|undefined|null"},
		{"JSON.stringify(JSON.parse('{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}'))", "{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}"},
		{"JSON.stringify(JSON.parse('[1,2]', function (k, v) { return Array.isArray(v) ? v : v + 1 }))", "[2,3]"},
		{"JSON.stringify(Object.keys('ab')) + JSON.stringify(Object.entries({x: 1}))", "[\"0\",\"1\"][[\"x\",1]]"},
		{"JSON.stringify(Object.assign({}, 'ab', [9]))", "{\"0\":9,\"1\":\"b\"}"},
		{"JSON.stringify([...new Set('abca')]) + JSON.stringify(Array.from('ab', function (c) { return c + c }))", "[\"a\",\"b\",\"c\"][\"aa\",\"bb\"]"},
		{"JSON.stringify([...[1, 2].entries()]) + JSON.stringify([...new Map([[1, 2]])])", "[[0,1],[1,2]][[1,2]]"},
		{"Array.prototype[Symbol.iterator] === Array.prototype.values", "true"},
		{"encodeURIComponent('a bé') + escape('é') + decodeURIComponent('%C3%A9') + unescape('%u00e9')", "a%20b%C3%A9%E9éé"},
		{"parseInt('42px') + parseFloat('1.5e2') + isNaN('x')", "193"},
		{"'Straße'.toUpperCase() + 'ABC'.toLowerCase() + 'Å'.normalize('NFC').length", "STRASSEabc1"},
		{"'abcabc'.indexOf('c', 3) + '' + 'abcabc'.lastIndexOf('b') + 'éabé'.indexOf('bé') + 'éab'.includes('ab')", "542true"},
		{"'x'.padStart(3, 'ab') + 'x'.padEnd(4, '12')", "abxx121"},
		{"(function () { var a = [1, 2, 3]; a.push(4, 5); return a.pop() + a.at(-1) + a.length })()", "13"},
		{"String(new Uint8Array([1, 2, 3])) + new Uint8Array([4, 5]).join(';')", "1,2,34;5"},
		{"[1, 2, 3].reduce(function (a, b) { return a + b }) + [1, 2, 3].map(String).join('')", "6123"},
		// Replacements whose expansion could exceed maxStringLength go through
		// the guard's own expansion of the template.
		{"sig(('a'.repeat(999) + 'b').repeat(2).replace(/a(?=b)/g, \"[$`|$'|$&|$$|$|$0]\"))", "6020:844392642"},
		{"sig(('a'.repeat(999) + 'bc').repeat(2).replace(/(a)(?=(b)(c))/g, '<$1$2$3$4$03$10$>'))", "2022:-1079567103"},
		{"sig(('xaaa').repeat(400).replaceAll('x', \"[$`]\"))", "321200:-559871489"},
		{"sig(('xaaa').repeat(500).replace('x', \"[$'$&]\"))", "4001:-148885061"},
		{"sig(('xaaa').repeat(500).replaceAll('a', function (m, p) { return p % 7 ? '' : m + p }))", "1451:1931327808"},
	}
	var code strings.Builder
	code.WriteString(`function sig(x) { var h = 0; for (var i = 0; i < x.length; i += 37) h = (h * 31 + x.charCodeAt(i)) | 0; return x.length + ':' + h; }
	function handler(event) { var out = [`)
	for _, c := range checks {
		code.WriteString("function () { return String(" + c.expr + ") },\n")
	}
	code.WriteString(`].map(function (f) { try { return f() } catch (e) { return 'threw ' + e.name + ': ' + e.message } });
	event.request.headers['x-out'] = {value: JSON.stringify(out)};
	return event.request; }`)
	for _, rt := range []string{Runtime10, Runtime20} {
		p := compile(t, rt, code.String())
		// On a loaded machine a trivial backtracking match can pass
		// regexp2's 10 ms wall-clock deadline; the call then ends as out of
		// time (TestRegExpTimeoutEndsTheCall), never with a wrong value,
		// which is what this test checks. A timed-out call is run again.
		var r *Result
		var err error
		for try := 0; try < 5; try++ {
			if r, err = p.Run(request("/"), testLimits); !errors.Is(err, ErrTimeout) {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := json.Unmarshal([]byte(r.Request.Headers["x-out"].Value), &got); err != nil {
			t.Fatal(err)
		}
		for i, c := range checks {
			if got[i] != c.want {
				t.Errorf("%s: %s\n got %q\nwant %q", rt, c.expr, got[i], c.want)
			}
		}
	}
}

// TestNoBigInt: the runtimes have no BigInt (CloudFront's do not, and
// goja's BigInt operators cannot be interrupted): a literal does not
// compile, and nothing makes a BigInt at run time.
func TestNoBigInt(t *testing.T) {
	for _, code := range []string{
		`function handler(e) { return 1n }`,
		`function handler(e) { var x = 2n ** 100000000n; return e.request }`,
		"function handler(e) { return `${0x1fn}` }",
	} {
		start := time.Now()
		_, err := Compile(Runtime20, []byte(code))
		var ce *CompileError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "BigInt") {
			t.Errorf("Compile(%q) = %v, want a CompileError about BigInt", code, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("Compile(%q) took %v", code, took)
		}
	}
	p := compile(t, Runtime20, `function handler(e) {
		var names = ['BigInt', 'BigInt64Array', 'BigUint64Array'].filter(function (n) { return typeof globalThis[n] !== 'undefined' });
		var dv = ['getBigInt64', 'getBigUint64', 'setBigInt64', 'setBigUint64'].filter(function (n) { return n in DataView.prototype });
		e.request.headers['x-out'] = {value: names.concat(dv).join()};
		return e.request;
	}`)
	r, err := p.Run(request("/"), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Request.Headers["x-out"].Value; got != "" {
		t.Errorf("BigInt left: %s", got)
	}
}

// TestDeadlineInBuiltins: a built-in that calls back per element (a sort's
// comparisons, an iterator's steps, JSON.stringify's walk) ends the call
// when its time is up, and no catch clause sees that.
func TestDeadlineInBuiltins(t *testing.T) {
	// Each would run well past the budget in one built-in call, and a
	// function that caught what ends it would return the request.
	for _, code := range []string{
		`var a = Array.from(new Float64Array(8192).map(Math.random)); a.sort()`,
		`new Set('x'.repeat(1 << 19))`,
		`var o = [1]; for (var i = 0; i < 40; i++) o = [o, o]; String(o)`,
		`var o = [1]; for (var i = 0; i < 30; i++) o = [o, o]; JSON.stringify(o)`,
		`'x'.repeat(1 << 19).match(/x/g)`,
		`'x'.repeat(1 << 19).split(/(?:)/)`,
	} {
		code = `try { ` + code + ` } catch (e) {} return event.request;`
		p := compile(t, Runtime20, `function handler(event) { `+code+` }`)
		start := time.Now()
		_, err := p.Run(request("/"), Limits{Time: 20 * time.Millisecond})
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: %v, want a timeout", code, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: took %v", code, took)
		}
	}
}

// TestRegExpTimeoutEndsTheCall: regexp2 reports a match that passed its
// deadline as no match; the guard ends the call as out of time instead, so
// a function never acts on that wrong answer (before, the header below
// read "false" under a one-second budget).
func TestRegExpTimeoutEndsTheCall(t *testing.T) {
	p := compile(t, Runtime20, `function handler(event) {
		var matched = /^(?=(a+)+b)/.test('a'.repeat(40) + 'c');
		event.request.headers['x-matched'] = {value: String(matched)};
		return event.request;
	}`)
	r, err := p.Run(request("/"), Limits{Time: time.Second})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, result %+v; want the call to end out of time", err, r)
	}
}
