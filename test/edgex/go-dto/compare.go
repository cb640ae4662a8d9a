package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
)

// diff is one place where the JSON we were given and Go's re-marshalling of what it decoded part ways.
type diff struct {
	Path string `json:"path"`
	// missing: Go emits the field, the input lacks it; type: another JSON type than Go's (null-for-empty:
	// null where Go emits [] or {}); value: Go decoded another value (precision, format); length: arrays
	// of other lengths; unknown: a non-empty field Go has no place for (dropped); omitted-empty: an empty
	// field Go leaves out (omitempty), harmless; go-float64: a number Go's DTO holds in a float64, rounded
	// by Go's decoding whoever sent it; go-null-reading: the null values Go writes back for a reading it
	// decoded without one.
	Kind string `json:"kind"`
	Ours string `json:"ours,omitempty"`
	Go   string `json:"go,omitempty"`
}

func (d diff) fails() bool {
	return d.Kind != "omitted-empty" && d.Kind != "unknown" && d.Kind != "go-float64" && d.Kind != "go-null-reading"
}

var readingValueKeys = map[string]bool{"value": true, "binaryValue": true, "objectValue": true}

func sameFloat64(a, b *big.Rat) bool {
	fa, _ := a.Float64()
	fb, _ := b.Float64()
	return fa == fb
}

func (d diff) String() string {
	return fmt.Sprintf("%s %s: ours=%s go=%s", d.Kind, d.Path, d.Ours, d.Go)
}

func decodeLoose(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func short(v any) string {
	data, _ := json.Marshal(v)
	if len(data) > 120 {
		return string(data[:117]) + "..."
	}
	return string(data)
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		r, ok := new(big.Rat).SetString(string(x))
		return ok && r.Sign() == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func compareJSON(path string, ours, theirs any, diffs *[]diff) {
	oursKind, theirKind := jsonKind(ours), jsonKind(theirs)
	if oursKind != theirKind {
		kind := "type"
		if ours == nil && isEmpty(theirs) && (theirKind == "array" || theirKind == "object") {
			kind = "null-for-empty"
		}
		*diffs = append(*diffs, diff{Path: path, Kind: kind, Ours: oursKind + " " + short(ours), Go: theirKind + " " + short(theirs)})
		return
	}
	switch o := ours.(type) {
	case map[string]any:
		t := theirs.(map[string]any)
		for _, key := range sortedKeys(t) {
			if _, present := o[key]; !present {
				kind := "missing"
				if t[key] == nil && readingValueKeys[key] {
					// Go decodes a reading without a value (e.g. EdgeX's own aggregate of a Binary resource) as a
					// null reading and writes it back with null values: not something EdgeX's server sends.
					kind = "go-null-reading"
				}
				*diffs = append(*diffs, diff{Path: path + "." + key, Kind: kind, Go: short(t[key])})
			}
		}
		for _, key := range sortedKeys(o) {
			tv, present := t[key]
			if !present {
				kind := "unknown"
				if isEmpty(o[key]) {
					kind = "omitted-empty"
				}
				*diffs = append(*diffs, diff{Path: path + "." + key, Kind: kind, Ours: short(o[key])})
				continue
			}
			compareJSON(path+"."+key, o[key], tv, diffs)
		}
	case []any:
		t := theirs.([]any)
		if len(o) != len(t) {
			*diffs = append(*diffs, diff{Path: path, Kind: "length", Ours: fmt.Sprint(len(o)), Go: fmt.Sprint(len(t))})
			return
		}
		for i := range o {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), o[i], t[i], diffs)
		}
	case json.Number:
		a, okA := new(big.Rat).SetString(string(o))
		b, okB := new(big.Rat).SetString(string(theirs.(json.Number)))
		if !okA || !okB || a.Cmp(b) != 0 {
			kind := "value"
			if okA && okB && sameFloat64(a, b) {
				kind = "go-float64" // Go decoded the number into a float64 (as it would EdgeX's own answer)
			}
			*diffs = append(*diffs, diff{Path: path, Kind: kind, Ours: string(o), Go: string(theirs.(json.Number))})
		}
	default:
		if ours != theirs {
			*diffs = append(*diffs, diff{Path: path, Kind: "value", Ours: short(ours), Go: short(theirs)})
		}
	}
}
