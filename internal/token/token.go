// Package token encodes and decodes the resume tokens that botocore and the
// AWS CLI use for paginated operations (base64 of a Python-dialect JSON
// object), plus botocore's legacy "<token>___<n>" form and raw service tokens.
//
// It is internal so that the parsing rules can change without an API break;
// the package devsessions documents the rules users can rely on.
package token

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits enforced by Decode.
const (
	// MaxStartingToken is the longest StartingToken accepted, in bytes.
	MaxStartingToken = 128 << 10
	// MaxServiceToken is the model's limit on nextToken, in characters.
	MaxServiceToken = 10000
	// MaxAmount bounds boto_truncate_amount (no page is ever larger).
	MaxAmount = 1<<31 - 1
)

// Position is a place in a listing: the service token that fetches the page
// holding the next item (nil for the first page), and how many items of that
// page come before it.
type Position struct {
	NextToken *string
	Skip      int
}

// Encode returns the botocore TokenEncoder encoding of p: standard padded
// base64 of json.dumps({"nextToken": ..., "boto_truncate_amount": ...}) with
// Python's default separators and ensure_ascii escaping. The amount is
// written only when Skip > 0, as botocore does at page boundaries.
func Encode(p Position) string {
	b := make([]byte, 0, 64)
	b = append(b, `{"nextToken": `...)
	if p.NextToken == nil {
		b = append(b, "null"...)
	} else {
		b = appendPyString(b, *p.NextToken)
	}
	if p.Skip > 0 {
		b = append(b, `, "boto_truncate_amount": `...)
		b = strconv.AppendInt(b, int64(p.Skip), 10)
	}
	b = append(b, '}')
	return base64.StdEncoding.EncodeToString(b)
}

// appendPyString appends s as Python's json.dumps(ensure_ascii=True) would.
func appendPyString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	u4 := func(b []byte, r rune) []byte {
		return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	b = append(b, '"')
	for _, r := range s { // invalid UTF-8 reads as U+FFFD, as a JSON decoder would have made it
		switch {
		case r == '"':
			b = append(b, '\\', '"')
		case r == '\\':
			b = append(b, '\\', '\\')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\b':
			b = append(b, '\\', 'b')
		case r == '\f':
			b = append(b, '\\', 'f')
		case r >= 0x20 && r <= 0x7e:
			b = append(b, byte(r))
		case r > 0xffff:
			r -= 0x10000
			b = u4(b, 0xd800+(r>>10))
			b = u4(b, 0xdc00+(r&0x3ff))
		default:
			b = u4(b, r)
		}
	}
	return append(b, '"')
}

// Decode parses a StartingToken with botocore's precedence: a base64 JSON
// object first, then the legacy "<token>___<n>" form, then a raw service
// token; "None" alone, like "None___<n>", is the first page, as in
// botocore (the AWS CLI's --starting-token None). It reads a token as
// botocore 1.43 does: the base64 decoder drops
// every character outside the base64 alphabet (white space anywhere,
// included) and ignores non-zero bits after the last character, as
// Python's b64decode does; the legacy and raw forms are taken verbatim,
// surrounding white space included (botocore sends it), but for the legacy
// amount, which is read as Python's int() reads it (surrounding white
// space, a sign, underscores between digits; a negative amount is
// refused). A token that is empty or only white space is refused. Base64 of
// a JSON null, boolean, string or number is refused, as botocore fails on
// it; base64 of anything else that is no JSON object (an array, text that
// is not JSON) falls through to the other forms, as in botocore, and is
// then a raw service token. An error says which rule the token broke.
func Decode(s string) (Position, error) {
	if len(s) > MaxStartingToken {
		return Position{}, fmt.Errorf("%d bytes, more than the %d allowed", len(s), MaxStartingToken)
	}
	if strings.TrimSpace(s) == "" {
		return Position{}, errors.New("empty or only white space")
	}
	// Not Strict: like Python's b64decode (botocore's decoder), it ignores
	// non-zero bits after the last character, so that a token botocore
	// reads as a position is read as the same position here.
	raw, err := base64.StdEncoding.DecodeString(inAlphabet(s))
	if err == nil {
		switch obj, kind := decodeJSON(raw); kind {
		case '{':
			return fromObject(obj)
		case 'n', 't', 'f', '"', '0':
			// botocore fails on these (AttributeError): no position, and
			// not the raw token the AWS CLI would never send either.
			return Position{}, fmt.Errorf("base64 of a JSON %s, not of an object", kindName[kind])
		}
	}
	if s == "None" { // botocore's legacy parser reads it as no token: the first page
		return Position{}, nil
	}
	parts := strings.Split(s, "___")
	switch {
	case len(parts) > 2:
		return Position{}, errors.New("more than one \"___\" separator")
	case len(parts) == 2:
		n, ok, err := pyInt(parts[1])
		if !ok {
			break // no number: botocore sends the whole token as it is
		}
		if err != nil {
			return Position{}, err
		}
		if parts[0] == "None" { // botocore's legacy spelling of "no token yet"
			return Position{Skip: n}, nil
		}
		return serviceToken(parts[0], n)
	}
	return serviceToken(s, 0)
}

// inAlphabet returns s without the characters outside the standard base64
// alphabet and padding, which Python's b64decode discards before decoding.
func inAlphabet(s string) string {
	keep := func(c byte) bool {
		return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
	}
	for i := 0; i < len(s); i++ {
		if !keep(s[i]) {
			b := make([]byte, 0, len(s))
			for j := 0; j < len(s); j++ {
				if keep(s[j]) {
					b = append(b, s[j])
				}
			}
			return string(b)
		}
	}
	return s // the common case: nothing to drop, nothing allocated
}

// pyInt reads s as Python's int(s) reads a legacy amount: surrounding white
// space, an optional sign, ASCII digits with single underscores between
// them. ok is false when s is no such number (botocore then sends the whole
// token as a raw one); err refuses a negative amount or one over MaxAmount.
func pyInt(s string) (n int, ok bool, err error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' ||
		strings.Contains(digits, "__") || strings.Trim(digits, "0123456789_") != "" {
		return 0, false, nil
	}
	n, err = parseAmount(strings.ReplaceAll(digits, "_", ""))
	if err == nil && neg && n != 0 {
		err = fmt.Errorf("\"boto_truncate_amount\" must not be negative, got %.20s", s)
	}
	return n, true, err
}

var kindName = map[byte]string{'n': "null", 't': "boolean", 'f': "boolean", '"': "string", '0': "number"}

// decodeJSON reads raw as JSON and returns its kind: '{' (and the object),
// 'n', 't', 'f', '"', '0' (a number) or '[', or 0 when raw is not JSON
// (then botocore falls back to the legacy parser, and so does Decode; it
// does for an array too, which its decoder refuses with a TypeError).
func decodeJSON(raw []byte) (map[string]json.RawMessage, byte) {
	if !utf8.Valid(raw) || !json.Valid(raw) {
		return nil, 0
	}
	switch b := bytes.TrimLeft(raw, " \t\r\n"); b[0] {
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			return nil, 0
		}
		return obj, '{'
	case 'n', 't', 'f', '"', '[':
		return nil, b[0]
	}
	return nil, '0'
}

func fromObject(obj map[string]json.RawMessage) (Position, error) {
	var p Position
	tok, ok := obj["nextToken"]
	if !ok {
		return p, errors.New("the JSON object has no \"nextToken\" key")
	}
	for k := range obj {
		if k != "nextToken" && k != "boto_truncate_amount" {
			return p, fmt.Errorf("unknown key %q (only \"nextToken\" and \"boto_truncate_amount\" are allowed)", k)
		}
	}
	if string(tok) != "null" {
		var t string
		if err := json.Unmarshal(tok, &t); err != nil {
			return p, errors.New("\"nextToken\" must be a string or null")
		}
		if err := checkServiceToken(t); err != nil {
			return p, err
		}
		p.NextToken = &t
	}
	// botocore reads a null amount as none: the page from its start.
	if amt, ok := obj["boto_truncate_amount"]; ok && string(amt) != "null" {
		n, err := parseAmount(string(amt))
		if err != nil {
			return p, err
		}
		p.Skip = n
	}
	return p, nil
}

func isInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseAmount(s string) (int, error) {
	if !isInt(s) {
		return 0, fmt.Errorf("\"boto_truncate_amount\" must be a whole number, got %.20q", s)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("\"boto_truncate_amount\" must not be negative, got %.20s", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > MaxAmount {
		return 0, fmt.Errorf("\"boto_truncate_amount\" must be at most %d, got %.20s", MaxAmount, s)
	}
	return int(n), nil
}

func serviceToken(s string, skip int) (Position, error) {
	if err := checkServiceToken(s); err != nil {
		return Position{}, err
	}
	return Position{NextToken: &s, Skip: skip}, nil
}

func checkServiceToken(s string) error {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return errors.New("the service token is empty")
	case n > MaxServiceToken:
		return fmt.Errorf("the service token has %d characters, more than the model's %d", n, MaxServiceToken)
	}
	return nil
}
