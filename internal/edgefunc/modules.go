package edgefunc

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// modules makes the built-in modules require() offers: crypto and
// querystring in both runtimes, buffer and cloudfront in 2.0 ("JavaScript
// runtime features": Built-in modules; "Helper methods for key value
// stores"; "Helper methods for origin modification"). Of CloudFront's cf
// module, the key value store helpers (cf.kvs and its handle's get,
// exists and meta) and the origin helpers (updateRequestOrigin,
// selectRequestOriginById, createRequestOriginGroup) are offered: see
// cloudfrontModule. cf.edgeLocation is absent.
func (s *slot) modules() (map[string]goja.Value, error) {
	rt := s.rt
	mods := map[string]goja.Value{}
	if s.v20 {
		v, err := rt.RunProgram(bufferPrg)
		if err != nil {
			return nil, fmt.Errorf("edgefunc: buffer module: %w", err)
		}
		mk, _ := goja.AssertFunction(v)
		h := rt.NewObject()
		must(h.Set("enc", s.native("enc", 2, func(call goja.FunctionCall) goja.Value {
			s.checkEncodable(call.Argument(0), encodingArg(call.Argument(1)), maxNativeBytes)
			b := s.encode(call.Argument(0).String(), encodingArg(call.Argument(1)))
			return rt.ToValue(rt.NewArrayBuffer(b))
		})))
		must(h.Set("dec", s.native("dec", 4, func(call goja.FunctionCall) goja.Value {
			b := s.bytesOf(call.Argument(0), "")
			start, end := sliceBounds(call.Argument(2), call.Argument(3), len(b))
			return rt.ToValue(s.decode(b[start:end], encodingArg(call.Argument(1))))
		})))
		must(h.Set("byteLength", s.native("byteLength", 2, func(call goja.FunctionCall) goja.Value {
			s.checkString(call.Argument(0), "Buffer.byteLength of")
			return rt.ToValue(len(s.encodeUpTo(call.Argument(0).String(), encodingArg(call.Argument(1)), 3*maxStringLength)))
		})))
		must(h.Set("isEncoding", s.native("isEncoding", 1, func(call goja.FunctionCall) goja.Value {
			_, ok := normEncoding(call.Argument(0).String())
			return rt.ToValue(ok && isString(call.Argument(0)))
		})))
		must(h.Set("maxBytes", maxNativeBytes))
		m, err := mk(goja.Undefined(), h)
		if err != nil {
			return nil, fmt.Errorf("edgefunc: buffer module: %w", err)
		}
		mods["buffer"] = m
		s.bufferFrom, _ = goja.AssertFunction(m.ToObject(rt).Get("Buffer").ToObject(rt).Get("from"))
		s.bufferCtor = m.ToObject(rt).Get("Buffer")
		cf, err := s.cloudfrontModule()
		if err != nil {
			return nil, err
		}
		mods["cloudfront"] = cf
	}
	v, err := rt.RunProgram(querystrPrg)
	if err != nil {
		return nil, fmt.Errorf("edgefunc: querystring module: %w", err)
	}
	mk, _ := goja.AssertFunction(v)
	qs, err := mk(goja.Undefined(), s.native("unescapeBuffer", 1, func(call goja.FunctionCall) goja.Value {
		s.checkString(call.Argument(0), "querystring.unescape of")
		return rt.ToValue(percentDecode(call.Argument(0).String()))
	}))
	if err != nil {
		return nil, fmt.Errorf("edgefunc: querystring module: %w", err)
	}
	mods["querystring"] = qs
	mods["crypto"] = s.cryptoModule()
	return mods, nil
}

// percentDecode decodes %XX escapes, leaving malformed ones as they are,
// and reads the bytes as UTF-8, an invalid byte becoming U+FFFD (Node's
// querystring.unescapeBuffer(s).toString()).
func percentDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return toValidUTF8(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// toValidUTF8 is b as a string, each byte of an invalid sequence replaced
// by U+FFFD.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			sb.WriteRune(utf8.RuneError)
			b = b[1:]
			continue
		}
		sb.Write(b[:n])
		b = b[n:]
	}
	return sb.String()
}

// The encodings Buffer and crypto accept, as Node names them.
func normEncoding(e string) (string, bool) {
	switch strings.ToLower(e) {
	case "", "utf8", "utf-8":
		return "utf8", true
	case "hex":
		return "hex", true
	case "base64":
		return "base64", true
	case "base64url":
		return "base64url", true
	case "latin1", "binary":
		return "latin1", true
	case "ascii":
		return "ascii", true
	case "utf16le", "utf-16le", "ucs2", "ucs-2":
		return "utf16le", true
	}
	return "", false
}

func encodingArg(v goja.Value) string {
	if !present(v) {
		return ""
	}
	return v.String()
}

// codeUnits is the UTF-16 code units of a string.
func codeUnits(s string) []uint16 {
	return utf16.Encode([]rune(s))
}

// checkEncodable throws a RangeError when the string v is so long that
// its encoding in enc is certain to be more than limit bytes (a string
// longer than maxStringLength is refused in any encoding), before the
// string is converted.
func (s *slot) checkEncodable(v goja.Value, enc string, limit int) {
	s.checkString(v, "the data argument is")
	n := strLen(v)
	switch e, _ := normEncoding(enc); e {
	case "utf8", "latin1", "ascii":
	case "utf16le":
		n *= 2
	default:
		return // hex and base64 skip what is not a digit
	}
	if n > limit {
		s.throwRange("the buffer would be larger than %d bytes", limit)
	}
}

// encode is Buffer.from(str, enc)'s bytes, at most maxNativeBytes of them.
func (s *slot) encode(str, enc string) []byte {
	return s.encodeUpTo(str, enc, maxNativeBytes)
}

// encodeUpTo is encode with the bound limit.
func (s *slot) encodeUpTo(str, enc string, limit int) []byte {
	e, ok := normEncoding(enc)
	if !ok {
		s.throwType("Unknown encoding: %s", clip(enc))
	}
	var b []byte
	switch e {
	case "utf8":
		b = []byte(str)
	case "hex":
		n := len(str) / 2
		b = make([]byte, 0, n)
		for i := 0; i+1 < len(str); i += 2 {
			if !isHex(str[i]) || !isHex(str[i+1]) {
				break
			}
			b = append(b, unhex(str[i])<<4|unhex(str[i+1]))
		}
	case "base64", "base64url":
		b = decodeBase64Loose(str)
	case "latin1", "ascii":
		u := codeUnits(str)
		b = make([]byte, len(u))
		for i, c := range u {
			b[i] = byte(c)
		}
	case "utf16le":
		u := codeUnits(str)
		b = make([]byte, 2*len(u))
		for i, c := range u {
			b[2*i], b[2*i+1] = byte(c), byte(c>>8)
		}
	}
	if len(b) > limit {
		s.throwRange("the buffer would be larger than %d bytes", limit)
	}
	return b
}

// decodeBase64Loose decodes base64 or base64url as Node does: other
// characters are skipped and padding is optional.
func decodeBase64Loose(str string) []byte {
	clean := make([]byte, 0, len(str))
	for i := 0; i < len(str); i++ {
		c := str[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '=':
			i = len(str) // padding ends the data
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out, _ := base64.RawStdEncoding.DecodeString(string(clean))
	return out
}

// decode is buf.toString(enc).
func (s *slot) decode(b []byte, enc string) string {
	e, ok := normEncoding(enc)
	if !ok {
		s.throwType("Unknown encoding: %s", clip(enc))
	}
	switch e {
	case "hex":
		return hex.EncodeToString(b)
	case "base64":
		return base64.StdEncoding.EncodeToString(b)
	case "base64url":
		return base64.RawURLEncoding.EncodeToString(b)
	case "latin1":
		return latin1(b)
	case "ascii":
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c & 0x7f)
		}
		return string(r)
	case "utf16le":
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return string(utf16.Decode(u))
	}
	return toValidUTF8(b)
}

// latin1 is b as a string of the code points 0–255: the "byte string" of
// runtime 1.0.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func sliceBounds(startV, endV goja.Value, n int) (int, int) {
	start, end := 0, n
	if present(startV) {
		start = int(max(min(startV.ToInteger(), int64(n)), 0))
	}
	if present(endV) {
		end = int(max(min(endV.ToInteger(), int64(n)), 0))
	}
	if end < start {
		end = start
	}
	return start, end
}

// bytesOf is the bytes of a string (in enc; UTF-8 by default, as Node),
// an ArrayBuffer, or a view (Buffer, typed array, DataView).
// Strings are taken up to maxStringLength (hashed, not kept).
func (s *slot) bytesOf(v goja.Value, enc string) []byte {
	if isString(v) {
		s.checkString(v, "the data argument is")
		return s.encodeUpTo(v.String(), enc, 3*maxStringLength)
	}
	if o, ok := v.(*goja.Object); ok {
		switch x := o.Export().(type) {
		case goja.ArrayBuffer:
			return x.Bytes()
		case []byte:
			return x
		}
		if ab, ok := o.Get("buffer").Export().(goja.ArrayBuffer); ok {
			b := ab.Bytes()
			off, n := o.Get("byteOffset").ToInteger(), o.Get("byteLength").ToInteger()
			if off >= 0 && n >= 0 && off+n <= int64(len(b)) {
				return b[off : off+n]
			}
		}
	}
	s.throwType("The data argument must be of type string or an instance of Buffer, TypedArray, DataView or ArrayBuffer")
	return nil
}

// cryptoModule is require('crypto'): createHash and createHmac for md5,
// sha1 and sha256, with Node's update/digest.
func (s *slot) cryptoModule() *goja.Object {
	rt := s.rt
	m := rt.NewObject()
	newHash := func(alg goja.Value) func() hash.Hash {
		switch strings.ToLower(alg.String()) {
		case "md5":
			return md5.New
		case "sha1":
			return sha1.New
		case "sha256":
			return sha256.New
		}
		panic(rt.NewGoError(fmt.Errorf("Digest method not supported: %s", clip(alg.String()))))
	}
	must(m.Set("createHash", s.native("createHash", 1, func(call goja.FunctionCall) goja.Value {
		return s.hashObject(newHash(call.Argument(0))())
	})))
	must(m.Set("createHmac", s.native("createHmac", 2, func(call goja.FunctionCall) goja.Value {
		h := newHash(call.Argument(0))
		return s.hashObject(hmac.New(h, s.bytesOf(call.Argument(1), "")))
	})))
	return m
}

func (s *slot) hashObject(h hash.Hash) goja.Value {
	rt := s.rt
	o := rt.NewObject()
	done := false
	must(o.Set("update", s.native("update", 2, func(call goja.FunctionCall) goja.Value {
		if done {
			panic(rt.NewGoError(fmt.Errorf("Digest already called")))
		}
		h.Write(s.bytesOf(call.Argument(0), encodingArg(call.Argument(1))))
		return o
	})))
	must(o.Set("digest", s.native("digest", 1, func(call goja.FunctionCall) goja.Value {
		if done {
			panic(rt.NewGoError(fmt.Errorf("Digest already called")))
		}
		done = true
		sum := h.Sum(nil)
		enc := call.Argument(0)
		if !present(enc) {
			// Runtime 2.0 returns a Buffer; 1.0 a byte string.
			if s.v20 {
				b, err := s.bufferFrom(s.bufferCtor, rt.ToValue(rt.NewArrayBuffer(sum)))
				if err != nil {
					panic(err)
				}
				return b
			}
			return rt.ToValue(latin1(sum))
		}
		e, ok := normEncoding(enc.String())
		if !ok || e == "utf8" || e == "utf16le" {
			s.throwType("Unsupported digest encoding: %s", clip(enc.String()))
		}
		return rt.ToValue(s.decode(sum, e))
	})))
	return o
}

// installByteStrings adds runtime 1.0's nonstandard byte-string methods
// (String.bytesFrom, String.prototype.fromBytes, fromUTF8, toBytes,
// toUTF8). A byte string is a string of code points 0–255, one per byte.
func (s *slot) installByteStrings() {
	rt := s.rt
	str := rt.Get("String").ToObject(rt)
	proto := str.Get("prototype").ToObject(rt)
	def := func(o *goja.Object, name string, length int, f func(goja.FunctionCall) goja.Value) {
		must(o.DefineDataProperty(name, s.native(name, length, f), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	}
	// units is this string's code units between the optional start and
	// end arguments.
	units := func(call goja.FunctionCall) []uint16 {
		u := codeUnits(call.This.String())
		a, b := sliceBounds(call.Argument(0), call.Argument(1), len(u))
		return u[a:b]
	}
	fromUnits := func(u []uint16) goja.Value { return rt.ToValue(string(utf16.Decode(u))) }
	def(str, "bytesFrom", 2, func(call goja.FunctionCall) goja.Value {
		src := call.Argument(0)
		if o, ok := src.(*goja.Object); ok && o.ClassName() == "Array" {
			n := o.Get("length").ToInteger()
			if n > maxNativeLength {
				s.throwRange("too many octets")
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(o.Get(itoa(int64(i))).ToInteger())
			}
			return rt.ToValue(latin1(b))
		}
		enc := encodingArg(call.Argument(1))
		switch e, _ := normEncoding(enc); e {
		case "hex", "base64", "base64url":
			s.checkString(src, "String.bytesFrom of")
			return rt.ToValue(latin1(s.encode(src.String(), e)))
		}
		s.throwType("String.bytesFrom: unknown encoding %q", clip(enc))
		return nil
	})
	def(proto, "fromBytes", 2, func(call goja.FunctionCall) goja.Value {
		return fromUnits(units(call))
	})
	def(proto, "toBytes", 2, func(call goja.FunctionCall) goja.Value {
		u := units(call)
		for _, c := range u {
			if c > 0xff {
				return goja.Null()
			}
		}
		return fromUnits(u)
	})
	def(proto, "fromUTF8", 2, func(call goja.FunctionCall) goja.Value {
		u := units(call)
		b := make([]byte, len(u))
		for i, c := range u {
			if c > 0xff {
				return goja.Null()
			}
			b[i] = byte(c)
		}
		if !utf8.Valid(b) {
			return goja.Null()
		}
		return rt.ToValue(string(b))
	})
	def(proto, "toUTF8", 2, func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(latin1([]byte(string(utf16.Decode(units(call))))))
	})
}
