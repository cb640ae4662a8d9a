package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/fxamacker/cbor/v2"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
)

// busEventVectors are events as EdgeX's device SDK (v4) publishes them: AddEventRequest in go-mod-messaging's
// MessageEnvelope (payload inline JSON by default, base64 bytes for CBOR events or with
// EDGEX_MSG_BASE64_PAYLOAD=true), on <prefix>/events/device/<service>/<profile>/<device>/<source>.
func busEventVectors() []vector {
	inline := eventWithEveryValueType()
	inline.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a11"
	inline.Origin = bigOrigin + 2000
	inline.Readings = inline.Readings[:len(inline.Readings)-1] // without its Binary reading, the SDK sends JSON
	inline.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b11"
	inline.Tags = dtos.Tags{"gateway": "go", "level": 3, "nested": map[string]any{"list": []any{1, "two", true}}}
	base64Payload := minimalEvent()
	base64Payload.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a12"
	binary := binaryEvent()
	binary.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a13"
	binary.Origin = bigOrigin + 3000
	binary.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b13"
	return []vector{
		busVector("bus: AddEventRequest of every value type but Binary in an EdgeX 4 envelope (payload inline JSON)", inline, serviceName, false),
		busVector("bus: AddEventRequest in an envelope with EDGEX_MSG_BASE64_PAYLOAD=true (payload base64 JSON)", base64Payload, serviceMinName, true),
		busVector("bus: AddEventRequest with EdgeX 4 null readings (payload inline JSON)", nullReadingsEvent("6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a14"), serviceName, false),
		busVector("bus: AddEventRequest with a Binary reading (payload base64 CBOR, contentType application/cbor)", binary, serviceName, false),
	}
}

func busVector(name string, event dtos.Event, service string, base64Payload bool) vector {
	req := requests.NewAddEventRequest(event)
	req.RequestId = requestId("0000000001" + event.Id[len(event.Id)-2:])
	encoding := req.GetEncodingContentType() // CBOR when a reading is Binary, as the SDK decides
	if base64Payload {
		os.Setenv("EDGEX_MSG_BASE64_PAYLOAD", common.ValueTrue)
		defer os.Unsetenv("EDGEX_MSG_BASE64_PAYLOAD")
	}
	ctx := context.WithValue(context.Background(), common.ContentType, encoding) //nolint:staticcheck // as the SDK does
	ctx = context.WithValue(ctx, common.CorrelationHeader, "2f0c6a5e-7d1b-4c3e-9a2f-"+event.Id[len(event.Id)-12:])
	envelope := types.NewMessageEnvelope(req, ctx)
	topic := common.NewPathBuilder().SetPath(common.EventsPublishTopic).SetPath("device").
		SetNameFieldPath(service).SetNameFieldPath(event.ProfileName).SetNameFieldPath(event.DeviceName).SetNameFieldPath(event.SourceName).BuildPath()
	return vector{Name: name, Service: "message-bus", Method: "PUBLISH", Path: topic, Request: "MessageEnvelope(AddEventRequest)",
		Answer: "", ContentType: common.ContentTypeJSON, Body: mustJSON(envelope), Expect: expectation{}}
}

// eventFromEnvelope decodes an envelope's AddEventRequest exactly as Go marshalled it. (EdgeX's own
// envelope.Unmarshal + GetMsgPayload goes through `Payload any`, whose float64 rounds an inline JSON
// payload's integers beyond 2^53; what was sent is what counts here.)
func eventFromEnvelope(data []byte) (requests.AddEventRequest, error) {
	var envelope struct {
		ContentType string          `json:"contentType"`
		Payload     json.RawMessage `json:"payload"`
	}
	var req requests.AddEventRequest
	if err := json.Unmarshal(data, &envelope); err != nil {
		return req, err
	}
	payload := []byte(envelope.Payload)
	var encoded string
	if json.Unmarshal(envelope.Payload, &encoded) == nil { // []byte payloads are base64 strings in JSON
		decoded, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			return req, fmt.Errorf("payload: %w", err)
		}
		payload = decoded
	}
	if envelope.ContentType == common.ContentTypeCBOR {
		return req, cbor.Unmarshal(payload, &req)
	}
	return req, json.Unmarshal(payload, &req)
}

// Placeholders in the device-service answers below: the responder puts the request's ids in their place.
const (
	placeholderRequestId     = "00000000-0000-4000-8000-00000000a001"
	placeholderCorrelationId = "00000000-0000-4000-8000-00000000a002"
)

// deviceServiceAnswers are the bus answers EdgeX's device SDK (v4) publishes for core-metadata's device
// validation and core-command's GET/SET, made with go-mod-messaging's own constructors: no payload for a
// validation or a SET, an EventResponse for a GET (CBOR, base64 in the envelope, when a reading is Binary).
func deviceServiceAnswers() map[string]string {
	answer := func(payload any, contentType string) string {
		envelope, err := types.NewMessageEnvelopeForResponse(payload, placeholderRequestId, placeholderCorrelationId, contentType)
		if err != nil {
			panic(err)
		}
		return mustJSON(envelope)
	}
	eventAnswer := func(event dtos.Event) string {
		resp := responses.NewEventResponse(placeholderRequestId, "", http.StatusOK, event)
		return answer(resp, resp.GetEncodingContentType())
	}
	allValues := eventWithEveryValueType()
	allValues.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a21"
	allValues.Readings = allValues.Readings[:len(allValues.Readings)-1] // no Binary reading: a JSON answer
	allValues.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b21"
	image := binaryEvent()
	image.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a22"
	image.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b22"
	return map[string]string{
		"validate":              answer(nil, common.ContentTypeJSON),
		"set":                   answer(nil, common.ContentTypeJSON),
		"get-no-event":          answer(nil, common.ContentTypeJSON),
		"get:" + sourceAllTypes: eventAnswer(allValues),
		"get:Image":             eventAnswer(image),
		"get:StringValue":       eventAnswer(nullReadingsEvent("6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a23")),
	}
}
