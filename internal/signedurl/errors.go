package signedurl

import "net/http"

// Code is a signed-URL error code; its value is the string sent in the
// XML body.
type Code string

// The codes of spec §9.5.
const (
	MissingKey      Code = "MissingKey"
	InvalidKey      Code = "InvalidKey"
	MalformedPolicy Code = "MalformedPolicy"
	AccessDenied    Code = "AccessDenied"
)

// messages is the one table of codes and their messages. All are 403.
var messages = map[Code]string{
	MissingKey:      "Missing Key-Pair-Id query parameter or cookie value",
	InvalidKey:      "Unknown Key",
	MalformedPolicy: "Malformed Policy",
	AccessDenied:    "Access denied",
}

// bodies are the encoded error documents, built once.
var bodies = func() map[Code][]byte {
	m := make(map[Code][]byte, len(messages))
	for c, msg := range messages {
		// Codes and messages hold no XML special characters (a test checks).
		m[c] = []byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + string(c) +
			`</Code><Message>` + msg + `</Message></Error>`)
	}
	return m
}()

// Error returns the code itself, so a Code is an error and errors.Is
// works against it.
func (c Code) Error() string { return string(c) }

// Status is the HTTP status the edge answers with: always 403.
func (c Code) Status() int { return http.StatusForbidden }

// Message is the text of the body's Message element.
func (c Code) Message() string {
	if m, ok := messages[c]; ok {
		return m
	}
	return messages[AccessDenied]
}

// Body is the XML error document for c; unknown codes get AccessDenied's.
// Callers must not modify it.
func (c Code) Body() []byte {
	if b, ok := bodies[c]; ok {
		return b
	}
	return bodies[AccessDenied]
}

// Error is a refused signed URL: the code the viewer sees and, for logs,
// the reason, which the viewer does not see.
type Error struct {
	Code   Code
	Reason string
}

func (e *Error) Error() string { return "signedurl: " + string(e.Code) + ": " + e.Reason }

// Is reports whether target is e's Code.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.Code
}

func fail(c Code, reason string) error { return &Error{Code: c, Reason: reason} }

// CodeOf returns the Code an error from Verify maps to: AccessDenied for
// anything that is not one of ours.
func CodeOf(err error) Code {
	switch e := err.(type) {
	case *Error:
		if _, ok := messages[e.Code]; ok {
			return e.Code
		}
	case Code:
		if _, ok := messages[e]; ok {
			return e
		}
	}
	return AccessDenied
}
