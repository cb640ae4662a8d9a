// Writes the CBOR test vectors of edgex-ts with EdgeX's own Go code: an AddEventRequest holding a Binary
// reading, encoded as EdgeX's device SDK encodes it (go-mod-core-contracts v4 AddEventRequest.Encode, which
// picks CBOR because of the Binary reading), wrapped in the bus envelope as go-mod-messaging v4 marshals it
// (JSON, and all CBOR as with EDGEX_MSG_CBOR_ENCODE=true);
// the EventResponse a device service answers a GET of a Binary resource with; and EdgeX's JSON of the same
// event (what core-data answers when the stored event is read back).
//
//	cd test/edgex/go-cbor && GOFLAGS=-mod=mod go run . vectors
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging/envelope"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
)

// An origin beyond 2^53, so that a decoder that goes through float64 cannot return it unchanged.
const origin int64 = 1796657960933599538

// Every byte value, so that no byte is mangled on the way (a PNG signature first, as device-simple's Image).
func imageBytes() []byte {
	b := []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}
	for i := 0; i < 256; i++ {
		b = append(b, byte(i))
	}
	return b
}

func binaryEvent() dtos.Event {
	event := dtos.NewEvent("Simple-Device", "Simple-Device01", "Image")
	event.Id = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	event.Origin = origin
	event.Tags = map[string]any{"site": "north"}
	event.AddBinaryReading("Image", imageBytes(), "image/png")
	if err := event.AddSimpleReading("Counter", common.ValueTypeUint64, uint64(18446744073709551615)); err != nil {
		panic(err)
	}
	event.Readings[0].Id = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
	event.Readings[0].Origin = origin
	event.Readings[1].Id = "2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e"
	event.Readings[1].Origin = origin + 1
	return event
}

func write(dir, name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d bytes\n", name, len(data))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func main() {
	dir := "vectors"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	event := binaryEvent()

	// What the device SDK publishes on edgex/events/device/... (internal/common SendEvent).
	request := requests.NewAddEventRequest(event)
	request.RequestId = "3c4d5e6f-7a8b-4c3d-8e4f-5a6b7c8d9e0f"
	body, contentType, err := request.Encode()
	if err != nil || contentType != common.ContentTypeCBOR {
		panic(fmt.Sprintf("expected a CBOR encoding, got %q (%v)", contentType, err))
	}
	write(dir, "add-event-binary.cbor", body)
	ctx := context.WithValue(context.Background(), common.CorrelationHeader, "4d5e6f7a-8b9c-4d4e-9f5a-6b7c8d9e0f1a") //nolint:staticcheck
	ctx = context.WithValue(ctx, common.ContentType, contentType)                                                   //nolint:staticcheck
	env := types.NewMessageEnvelope(request, ctx)
	write(dir, "add-event-binary.envelope.json", must(envelope.Marshal(env)))

	// The same with EDGEX_MSG_CBOR_ENCODE=true: the whole envelope in CBOR, the request inside it as a CBOR map.
	if err := os.Setenv(common.EnvMessageCborEncode, common.ValueTrue); err != nil {
		panic(err)
	}
	cborEnv := types.NewMessageEnvelope(request, ctx)
	write(dir, "add-event-binary.envelope.cbor", must(envelope.Marshal(cborEnv)))
	if err := os.Unsetenv(common.EnvMessageCborEncode); err != nil {
		panic(err)
	}

	// What a device service answers core-command's GET of a Binary resource (internal/controller/messaging getCommand).
	response := responses.NewEventResponse("5e6f7a8b-9c0d-4e5f-8a6b-7c8d9e0f1a2b", "", 200, event)
	answer, answerType, err := response.Encode()
	if err != nil || answerType != common.ContentTypeCBOR {
		panic(fmt.Sprintf("expected a CBOR encoding, got %q (%v)", answerType, err))
	}
	write(dir, "event-response-binary.cbor", answer)
	reply := must(types.NewMessageEnvelopeForResponse(response, response.RequestId, "6f7a8b9c-0d1e-4f6a-9b7c-8d9e0f1a2b3c", answerType))
	write(dir, "event-response-binary.envelope.json", must(envelope.Marshal(reply)))

	// EdgeX's JSON of the same event (core-data's GET answers, core-command's REST answer).
	write(dir, "event-binary.json", must(json.Marshal(event)))
}
