package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	"github.com/fxamacker/cbor/v2"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
)

// runSameEvent compares, in Go's own types, the event a Go client sent with the one our service gave back:
// every field a user reads (origins and 64-bit values exact, binary bytes, object values, tags).
func runSameEvent(input []byte, out io.Writer) int {
	var pair struct {
		Sent struct {
			Event dtos.Event `json:"event"`
		} `json:"sent"`
		// A request sent as CBOR (base64 here), or in a message envelope, instead of sent.
		SentCbor     string          `json:"sentCbor"`
		SentEnvelope json.RawMessage `json:"sentEnvelope"`
		Got          struct {
			Event dtos.Event `json:"event"`
		} `json:"got"`
	}
	if err := json.Unmarshal(input, &pair); err != nil {
		fmt.Fprintln(out, "decode:", err)
		return 1
	}
	if len(pair.SentEnvelope) > 0 {
		req, err := eventFromEnvelope(pair.SentEnvelope)
		if err != nil {
			fmt.Fprintln(out, "decode sentEnvelope:", err)
			return 1
		}
		pair.Sent.Event = req.Event
	}
	if pair.SentCbor != "" {
		data, err := base64.StdEncoding.DecodeString(pair.SentCbor)
		if err == nil {
			err = cbor.Unmarshal(data, &pair.Sent)
		}
		if err != nil {
			fmt.Fprintln(out, "decode sentCbor:", err)
			return 1
		}
	}
	var problems []string
	differs := func(field string, sent, got any) {
		if !reflect.DeepEqual(sent, got) {
			problems = append(problems, fmt.Sprintf("%s: sent %s, got %s", field, show(sent), show(got)))
		}
	}
	sent, got := pair.Sent.Event, pair.Got.Event
	differs("id", sent.Id, got.Id)
	differs("deviceName", sent.DeviceName, got.DeviceName)
	differs("profileName", sent.ProfileName, got.ProfileName)
	differs("sourceName", sent.SourceName, got.SourceName)
	differs("origin", sent.Origin, got.Origin)
	differs("tags", normalize(sent.Tags), normalize(got.Tags))
	if len(sent.Readings) != len(got.Readings) {
		problems = append(problems, fmt.Sprintf("readings: sent %d, got %d", len(sent.Readings), len(got.Readings)))
	} else {
		for i := range sent.Readings {
			s, g := sent.Readings[i], got.Readings[i]
			at := fmt.Sprintf("readings[%d] (%s)", i, s.ResourceName)
			if s.Id != "" {
				differs(at+".id", s.Id, g.Id)
			}
			differs(at+".origin", s.Origin, g.Origin)
			differs(at+".deviceName", s.DeviceName, g.DeviceName)
			differs(at+".resourceName", s.ResourceName, g.ResourceName)
			differs(at+".profileName", s.ProfileName, g.ProfileName)
			differs(at+".valueType", s.ValueType, g.ValueType)
			differs(at+".units", s.Units, g.Units)
			differs(at+".null", s.IsNull(), g.IsNull())
			differs(at+".value", s.Value, g.Value)
			differs(at+".binaryValue", base64.StdEncoding.EncodeToString(s.BinaryValue), base64.StdEncoding.EncodeToString(g.BinaryValue))
			differs(at+".mediaType", s.MediaType, g.MediaType)
			differs(at+".objectValue", normalize(s.ObjectValue), normalize(g.ObjectValue))
			differs(at+".tags", normalize(s.Tags), normalize(g.Tags))
		}
	}
	if len(problems) == 0 {
		fmt.Fprintln(out, "OK")
		return 0
	}
	for _, p := range problems {
		fmt.Fprintln(out, p)
	}
	return 1
}

// normalize makes values decoded by different paths comparable (JSON numbers, empty vs nil maps).
func normalize(v any) any {
	if v == nil {
		return nil
	}
	data, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	_ = dec.Decode(&out)
	if m, ok := out.(map[string]any); ok && len(m) == 0 {
		return nil
	}
	return out
}

func show(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}
