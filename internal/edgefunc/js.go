package edgefunc

// lockdownJS evaluates to a function that locks a runtime down, given the
// roots beyond the global object to freeze (the built-in modules and the
// anonymous intrinsics):
//
//  1. eval and the Function, GeneratorFunction and AsyncFunction
//     constructors throw ("Dynamic code evaluation is not supported");
//  2. the properties an ordinary assignment may mean to shadow
//     (obj.toString = …, headers['constructor'] = …) become accessors
//     whose setter defines an own property on the object assigned to, so
//     that freezing their prototype does not make such assignments fail
//     (the "override mistake");
//  3. every object reachable from the roots (own properties, accessors,
//     prototypes) is frozen.
const lockdownJS = `(function (roots) {
	'use strict';
	var getProto = Object.getPrototypeOf, ownKeys = Reflect.ownKeys,
		gopd = Object.getOwnPropertyDescriptor, defProp = Object.defineProperty,
		freeze = Object.freeze, isFrozen = Object.isFrozen;
	var noDynamic = 'Dynamic code evaluation is not supported';

	function tameConstructor(proto) {
		var original = proto.constructor;
		var tamed = function () { throw new EvalError(noDynamic); };
		defProp(tamed, 'name', { value: original.name });
		defProp(tamed, 'length', { value: original.length });
		defProp(tamed, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
		defProp(proto, 'constructor', { value: tamed, writable: true, enumerable: false, configurable: true });
		return tamed;
	}
	defProp(globalThis, 'Function', { value: tameConstructor(Function.prototype), writable: true, enumerable: false, configurable: true });
	for (var i = 0; i < roots.length; i++) {
		var r = roots[i];
		if (typeof r === 'object' && r !== null && r !== Function.prototype &&
			typeof r.constructor === 'function' && r.constructor.prototype === r &&
			getProto(r) === Function.prototype) {
			tameConstructor(r); // GeneratorFunction, AsyncFunction, AsyncGeneratorFunction
		}
	}
	var noEval = function () { throw new EvalError(noDynamic); };
	defProp(noEval, 'name', { value: 'eval' });
	defProp(globalThis, 'eval', { value: noEval, writable: true, enumerable: false, configurable: true });

	var seen = new Set(), queue = [];
	function add(v) {
		if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
			if (!seen.has(v)) { seen.add(v); queue.push(v); }
		}
	}
	function walk() {
		while (queue.length > 0) {
			var o = queue.pop();
			add(getProto(o));
			var keys = ownKeys(o);
			for (var k = 0; k < keys.length; k++) {
				var d = gopd(o, keys[k]);
				if (d === undefined) continue;
				if ('value' in d) { add(d.value); } else { add(d.get); add(d.set); }
			}
		}
	}
	add(globalThis);
	for (var j = 0; j < roots.length; j++) add(roots[j]);
	walk();

	var shadowed = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty',
		'isPrototypeOf', 'propertyIsEnumerable', 'name', 'message', 'toJSON'];
	function tame(obj, key) {
		var d = gopd(obj, key);
		if (d === undefined || !('value' in d) || !d.writable || !d.configurable) return;
		var value = d.value;
		var getter = function () { return value; };
		var setter = function (v) {
			if (this === obj) {
				throw new TypeError("Cannot assign to read only property '" + String(key) + "' of object");
			}
			defProp(this, key, { value: v, writable: true, enumerable: true, configurable: true });
		};
		defProp(obj, key, { get: getter, set: setter, enumerable: d.enumerable, configurable: false });
		add(getter); add(setter);
	}
	var objectProto = Object.prototype;
	ownKeys(objectProto).forEach(function (k) { tame(objectProto, k); });
	seen.forEach(function (o) {
		if (o === objectProto) return;
		if (typeof o === 'function' && o !== Function.prototype) return;
		for (var s = 0; s < shadowed.length; s++) tame(o, shadowed[s]);
	});
	walk();
	seen.forEach(function (o) { if (!isFrozen(o)) freeze(o); });
})`

// querystringJS evaluates to a function that, given Node's
// unescapeBuffer (as a Go function returning a string), makes the
// querystring module: parse/decode, stringify/encode, escape, unescape,
// with Node's semantics as CloudFront documents them.
const querystringJS = `(function (unescapeBuffer) {
	'use strict';
	function escape(str) {
		if (typeof str !== 'string') str = String(str);
		return encodeURIComponent(str);
	}
	function unescape(s) {
		try { return decodeURIComponent(s); } catch (e) { return unescapeBuffer(s); }
	}
	function decodeStr(s, decoder) {
		try { return decoder(s); } catch (e) { return unescape(s); }
	}
	function parse(qs, sep, eq, options) {
		var obj = Object.create(null);
		if (typeof qs !== 'string' || qs.length === 0) return obj;
		sep = sep ? String(sep) : '&';
		eq = eq ? String(eq) : '=';
		var maxKeys = 1000, decode = unescape;
		if (options && typeof options.maxKeys === 'number') maxKeys = options.maxKeys;
		if (options && typeof options.decodeURIComponent === 'function') decode = options.decodeURIComponent;
		var parts = maxKeys > 0 ? qs.split(sep, maxKeys) : qs.split(sep);
		for (var i = 0; i < parts.length; i++) {
			var x = parts[i];
			if (x.length === 0) continue;
			x = x.replace(/\+/g, ' ');
			var idx = x.indexOf(eq), k, v;
			if (idx >= 0) { k = x.slice(0, idx); v = x.slice(idx + eq.length); } else { k = x; v = ''; }
			k = decodeStr(k, decode);
			v = decodeStr(v, decode);
			var cur = obj[k];
			if (cur === undefined) obj[k] = v;
			else if (Array.isArray(cur)) cur.push(v);
			else obj[k] = [cur, v];
		}
		return obj;
	}
	function stringifyPrimitive(v) {
		switch (typeof v) {
		case 'string': return v;
		case 'number': return isFinite(v) ? '' + v : '';
		case 'bigint': return '' + v;
		case 'boolean': return v ? 'true' : 'false';
		}
		return '';
	}
	function stringify(obj, sep, eq, options) {
		sep = sep ? String(sep) : '&';
		eq = eq ? String(eq) : '=';
		var encode = escape;
		if (options && typeof options.encodeURIComponent === 'function') encode = options.encodeURIComponent;
		if (obj === null || typeof obj !== 'object') return '';
		var keys = Object.keys(obj), out = [];
		for (var i = 0; i < keys.length; i++) {
			var k = keys[i], v = obj[k], ks = encode(stringifyPrimitive(k)) + eq;
			if (Array.isArray(v)) {
				for (var j = 0; j < v.length; j++) out.push(ks + encode(stringifyPrimitive(v[j])));
			} else {
				out.push(ks + encode(stringifyPrimitive(v)));
			}
		}
		return out.join(sep);
	}
	return {
		parse: parse, decode: parse,
		stringify: stringify, encode: stringify,
		escape: escape, unescape: unescape
	};
})`

// bufferJS evaluates to a function that, given the Go helpers h (enc,
// dec, byteLength, isEncoding, maxBytes), makes runtime 2.0's buffer
// module: a Buffer that is a Uint8Array with Node's common statics and
// methods.
const bufferJS = `(function (h) {
	'use strict';
	class Buffer extends Uint8Array {
		constructor(a, b, c) {
			if (typeof a === 'number') checkSize(a);
			else if (a !== null && typeof a === 'object' && !(a instanceof ArrayBuffer)) checkSize(a.length);
			super(a, b, c);
		}
	}
	function checkSize(size) {
		if (typeof size !== 'number' || size < 0 || size !== size) {
			throw new TypeError('The "size" argument must be a non-negative number');
		}
		if (size > h.maxBytes) throw new RangeError('The buffer would be larger than ' + h.maxBytes + ' bytes');
	}
	function from(value, encodingOrOffset, length) {
		if (typeof value === 'string') return new Buffer(h.enc(value, encodingOrOffset));
		if (value instanceof ArrayBuffer) {
			return length === undefined ? new Buffer(value, encodingOrOffset || 0) : new Buffer(value, encodingOrOffset || 0, length);
		}
		if (value !== null && typeof value === 'object') {
			if (value.type === 'Buffer' && Array.isArray(value.data)) value = value.data;
			if (ArrayBuffer.isView(value) || Array.isArray(value) || typeof value.length === 'number') {
				checkSize(value.length);
				var b = new Buffer(value.length);
				for (var i = 0; i < value.length; i++) b[i] = value[i] & 255;
				return b;
			}
		}
		throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object');
	}
	function bytes(value, encoding) {
		if (typeof value === 'string') return new Uint8Array(h.enc(value, encoding));
		if (value instanceof Uint8Array) return value;
		throw new TypeError('The value must be a string, a Buffer or a Uint8Array');
	}
	function compare(a, b) {
		if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) throw new TypeError('The arguments must be Buffers or Uint8Arrays');
		var n = Math.min(a.length, b.length);
		for (var i = 0; i < n; i++) {
			if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
		}
		return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
	}
	function search(buf, value, byteOffset, encoding, last) {
		if (typeof byteOffset === 'string') { encoding = byteOffset; byteOffset = undefined; }
		if (typeof value === 'number') {
			return last ? Uint8Array.prototype.lastIndexOf.call(buf, value & 255, byteOffset === undefined ? buf.length - 1 : byteOffset)
				: Uint8Array.prototype.indexOf.call(buf, value & 255, byteOffset || 0);
		}
		var needle = bytes(value, encoding), n = needle.length;
		var start = byteOffset === undefined ? (last ? buf.length - n : 0) : byteOffset;
		if (start < 0) start += buf.length;
		if (last) {
			for (var i = Math.min(start, buf.length - n); i >= 0; i--) if (matches(buf, needle, i)) return i;
		} else {
			for (var j = Math.max(start, 0); j + n <= buf.length; j++) if (matches(buf, needle, j)) return j;
		}
		return -1;
	}
	function matches(buf, needle, at) {
		for (var k = 0; k < needle.length; k++) if (buf[at + k] !== needle[k]) return false;
		return true;
	}
	function view(buf) { return new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
	var statics = {
		from: from,
		alloc: function alloc(size, fill, encoding) {
			checkSize(size);
			var b = new Buffer(size);
			if (fill !== undefined && fill !== 0) b.fill(fill, 0, b.length, encoding);
			return b;
		},
		allocUnsafe: function allocUnsafe(size) { checkSize(size); return new Buffer(size); },
		byteLength: function byteLength(value, encoding) {
			if (typeof value === 'string') return h.byteLength(value, encoding);
			if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
			throw new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer');
		},
		concat: function concat(list, totalLength) {
			if (!Array.isArray(list)) throw new TypeError('The "list" argument must be an Array of Buffers or Uint8Arrays');
			if (totalLength === undefined) {
				totalLength = 0;
				for (var i = 0; i < list.length; i++) totalLength += list[i].length;
			}
			var b = Buffer.alloc(totalLength), pos = 0;
			for (var j = 0; j < list.length && pos < totalLength; j++) {
				var src = list[j];
				if (!(src instanceof Uint8Array)) throw new TypeError('The "list" argument must be an Array of Buffers or Uint8Arrays');
				if (pos + src.length > totalLength) src = src.subarray(0, totalLength - pos);
				b.set(src, pos);
				pos += src.length;
			}
			return b;
		},
		isBuffer: function isBuffer(b) { return b instanceof Buffer; },
		isEncoding: function isEncoding(e) { return h.isEncoding(e); },
		compare: compare
	};
	var methods = {
		toString: function toString(encoding, start, end) { return h.dec(this, encoding, start, end); },
		toJSON: function toJSON() { return { type: 'Buffer', data: Array.prototype.slice.call(this) }; },
		equals: function equals(other) { return compare(this, other) === 0; },
		compare: function compare_(target) { return compare(this, target); },
		copy: function copy(target, targetStart, sourceStart, sourceEnd) {
			targetStart = targetStart || 0; sourceStart = sourceStart || 0;
			if (sourceEnd === undefined) sourceEnd = this.length;
			var src = this.subarray(sourceStart, sourceEnd);
			var n = Math.max(0, Math.min(src.length, target.length - targetStart));
			target.set(src.subarray(0, n), targetStart);
			return n;
		},
		slice: function slice(start, end) { return this.subarray(start, end); },
		write: function write(string, offset, length, encoding) {
			if (typeof offset === 'string') { encoding = offset; offset = 0; length = undefined; }
			else if (typeof length === 'string') { encoding = length; length = undefined; }
			offset = offset || 0;
			var b = new Uint8Array(h.enc(string, encoding));
			var n = Math.max(0, Math.min(b.length, this.length - offset, length === undefined ? Infinity : length));
			this.set(b.subarray(0, n), offset);
			return n;
		},
		fill: function fill(value, offset, end, encoding) {
			if (typeof offset === 'string') { encoding = offset; offset = 0; end = this.length; }
			offset = offset || 0; if (end === undefined) end = this.length;
			if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
				return Uint8Array.prototype.fill.call(this, value & 255, offset, end);
			}
			var b = bytes(value, encoding);
			if (b.length === 0) return Uint8Array.prototype.fill.call(this, 0, offset, end);
			for (var i = offset, j = 0; i < end; i++, j = (j + 1) % b.length) this[i] = b[j];
			return this;
		},
		indexOf: function indexOf(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, false); },
		lastIndexOf: function lastIndexOf(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, true); },
		includes: function includes(value, byteOffset, encoding) { return search(this, value, byteOffset, encoding, false) !== -1; }
	};
	var ints = [['UInt8', 'Uint8', 1], ['Int8', 'Int8', 1], ['UInt16', 'Uint16', 2], ['Int16', 'Int16', 2],
		['UInt32', 'Uint32', 4], ['Int32', 'Int32', 4], ['Float', 'Float32', 4], ['Double', 'Float64', 8]];
	ints.forEach(function (t) {
		var get = 'get' + t[1], set = 'set' + t[1];
		var ends = t[2] === 1 ? [''] : ['BE', 'LE'];
		ends.forEach(function (e) {
			var le = e === 'LE';
			var read = function (offset) { return view(this)[get](offset || 0, le); };
			var write = function (value, offset) { offset = offset || 0; view(this)[set](offset, value, le); return offset + t[2]; };
			methods['read' + t[0] + e] = read;
			methods['write' + t[0] + e] = write;
			if (t[0].indexOf('UInt') === 0) {
				methods['readUint' + t[0].slice(4) + e] = read;
				methods['writeUint' + t[0].slice(4) + e] = write;
			}
		});
	});
	Object.keys(statics).forEach(function (k) {
		Object.defineProperty(Buffer, k, { value: statics[k], writable: true, enumerable: false, configurable: true });
	});
	Object.keys(methods).forEach(function (k) {
		Object.defineProperty(Buffer.prototype, k, { value: methods[k], writable: true, enumerable: false, configurable: true });
	});
	return { Buffer: Buffer, kMaxLength: h.maxBytes };
})`
