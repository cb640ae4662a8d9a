package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"gopkg.in/yaml.v3"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	dtoCommon "github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
)

// vector is one request as an EdgeX Go client sends it: the body is what encoding/json (or, for CBOR
// events, fxamacker/cbor as EdgeX's SDK uses it) makes of EdgeX's own request DTO.
type vector struct {
	Name    string `json:"name"`
	Service string `json:"service"` // core-metadata, core-data, core-command, or message-bus (Method PUBLISH, Path the topic below the prefix)
	Method  string `json:"method"`
	Path    string `json:"path"` // below /api/v3
	// The request DTO (suffix [] for a batch), and the response DTO EdgeX answers with.
	Request     string `json:"request"`
	Answer      string `json:"answer"`
	ContentType string `json:"contentType"`
	// The exact bytes Go wrote, as a string, so that a reader never re-encodes them (64-bit numbers).
	Body       string      `json:"body,omitempty"`       // JSON (a bus message: the envelope), or the YAML file of a form
	BodyBase64 string      `json:"bodyBase64,omitempty"` // CBOR
	Expect     expectation `json:"expect"`
	// For events: the id of the event the request carries, to read it back.
	EventId string `json:"eventId,omitempty"`
}

// expectation is EdgeX's answer: the HTTP status and, for a 207 batch, each item's statusCode, or an empty
// batch (EdgeX answers `null` to a nil slice). Bus messages have none.
type expectation struct {
	Status     int   `json:"status"`
	ItemStatus []int `json:"itemStatus,omitempty"`
	EmptyBatch bool  `json:"emptyBatch,omitempty"`
}

// The names our vectors create, for the test to look them up afterwards.
const (
	serviceName     = "go-ds"
	serviceMinName  = "go-ds-min"
	profileName     = "go-profile"
	profileMinName  = "go-profile-min"
	profileWideName = "go-profile-wide-mask"
	profileYamlName = "go-profile-yaml"
	deviceName      = "go-dev-1"
	deviceMinName   = "go-dev-min"
	deviceBatchName = "go-dev-batch"
	deviceChildName = "go-dev-child"
	// Not stored: the batch that names it has an item EdgeX refuses.
	deviceRefusedName = "go-dev-refused"
	watcherName       = "go-watcher"
	sourceAllTypes    = "AllValues"
	bigOrigin         = int64(1796657960933599538) // beyond 2^53: rounded by a float64
	nullEventId       = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a04"
	requestIdPrefix   = "1f0c6a5e-7d1b-4c3e-9a2f-"
)

func requestId(n string) string { return requestIdPrefix + n }

func base(n string) dtoCommon.BaseRequest {
	return dtoCommon.BaseRequest{Versionable: dtoCommon.NewVersionable(), RequestId: requestId(n)}
}

func ptr[T any](v T) *T { return &v }

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func jsonVector(name, service, method, path, request, answer string, body any, expect expectation) vector {
	return vector{Name: name, Service: service, Method: method, Path: path, Request: request, Answer: answer,
		ContentType: common.ContentTypeJSON, Body: mustJSON(body), Expect: expect}
}

func created(n int) expectation { return batch(201, n) }
func updated(n int) expectation { return batch(200, n) }
func batch(status, n int) expectation {
	items := make([]int, n)
	for i := range items {
		items[i] = status
	}
	return expectation{Status: 207, ItemStatus: items}
}

func f64(v float64) *float64 { return &v }

func fullProfile() dtos.DeviceProfile {
	resource := func(name, valueType, readWrite string) dtos.DeviceResource {
		return dtos.DeviceResource{Name: name, Properties: dtos.ResourceProperties{ValueType: valueType, ReadWrite: readWrite}}
	}
	float := resource("Float64Value", common.ValueTypeFloat64, common.ReadWrite_RW)
	float.Description = "a float with bounds and a scale"
	float.Properties.Minimum = f64(-100.5)
	float.Properties.Maximum = f64(1e6)
	float.Properties.Scale = f64(0.1)
	float.Attributes = map[string]any{"register": 40001, "nested": map[string]any{"a": []any{1, "b", true}}}
	mask := resource("Uint64Value", common.ValueTypeUint64, common.ReadWrite_R)
	mask.Properties.Mask = ptr(uint64(0xFFF0))
	mask.Properties.Shift = ptr(int64(-4))
	image := resource("Image", common.ValueTypeBinary, common.ReadWrite_R)
	image.Properties.MediaType = "image/png"
	hidden := resource("Hidden", common.ValueTypeString, common.ReadWrite_R)
	hidden.IsHidden = true
	hidden.Tags = map[string]any{"origin": "go"}
	return dtos.DeviceProfile{
		DeviceProfileBasicInfo: dtos.DeviceProfileBasicInfo{
			Name: profileName, Manufacturer: "EdgeX Go", Model: "DTO-1", Description: "marshalled by go-mod-core-contracts",
			Labels: []string{"go", "vectors"},
		},
		DeviceResources: []dtos.DeviceResource{
			resource("Int64Value", common.ValueTypeInt64, common.ReadWrite_RW),
			mask,
			float,
			resource("BoolValue", common.ValueTypeBool, common.ReadWrite_RW),
			resource("StringValue", common.ValueTypeString, common.ReadWrite_RW),
			resource("Int32Array", common.ValueTypeInt32Array, common.ReadWrite_R),
			resource("ObjectValue", common.ValueTypeObject, common.ReadWrite_R),
			image,
			hidden,
		},
		DeviceCommands: []dtos.DeviceCommand{{
			Name: sourceAllTypes, ReadWrite: common.ReadWrite_RW,
			ResourceOperations: []dtos.ResourceOperation{
				{DeviceResource: "Int64Value"},
				{DeviceResource: "BoolValue", DefaultValue: "false", Mappings: map[string]string{"true": "ON", "false": "OFF"}},
			},
		}},
	}
}

// wideMaskProfile has a uint64 mask beyond 2^53 (a float64 rounds it), as EdgeX's ResourceProperties allows.
func wideMaskProfile() dtos.DeviceProfile {
	wide := dtos.DeviceResource{Name: "Wide", Properties: dtos.ResourceProperties{
		ValueType: common.ValueTypeUint64, ReadWrite: common.ReadWrite_R,
		Mask: ptr(uint64(0xFFFFFFFFFFFFFFF1)), Shift: ptr(int64(-9007199254740993)),
	}}
	return dtos.DeviceProfile{DeviceProfileBasicInfo: dtos.DeviceProfileBasicInfo{Name: profileWideName}, DeviceResources: []dtos.DeviceResource{wide}}
}

// minimalProfile has what Go leaves nil: no labels, no commands (`"deviceCommands": null`), no attributes.
func minimalProfile() dtos.DeviceProfile {
	return dtos.DeviceProfile{
		DeviceProfileBasicInfo: dtos.DeviceProfileBasicInfo{Name: profileMinName},
		DeviceResources: []dtos.DeviceResource{
			{Name: "Level", Properties: dtos.ResourceProperties{ValueType: common.ValueTypeInt16, ReadWrite: common.ReadWrite_R}},
		},
	}
}

func fullDevice() dtos.Device {
	return dtos.Device{
		Name: deviceName, Description: "a device from EdgeX's Go DTOs", AdminState: "UNLOCKED", OperatingState: "UP",
		Labels: []string{"go"}, Location: map[string]any{"building": "B1", "floor": 3},
		ServiceName: serviceName, ProfileName: profileName,
		AutoEvents: []dtos.AutoEvent{
			{Interval: "1h", SourceName: "Int64Value"}, // Retention{} zero: {"maxCap":0,"minCap":0,"duration":""}
			{Interval: "30m", OnChange: true, OnChangeThreshold: 0.5, SourceName: sourceAllTypes,
				Retention: dtos.Retention{MaxCap: 100, MinCap: 10, Duration: "24h"}},
		},
		Protocols:  map[string]dtos.ProtocolProperties{"other": {"Address": "go-dev-1", "Port": 1502, "Timeout": "5s"}},
		Tags:       map[string]any{"site": "lab", "rank": 2},
		Properties: map[string]any{"vendor": "go"},
	}
}

// minimalDevice has the zero values Go really sends: empty id, nil labels, tags, properties and autoEvents.
func minimalDevice() dtos.Device {
	return dtos.Device{
		Name: deviceMinName, AdminState: "UNLOCKED", OperatingState: "UNKNOWN", ServiceName: serviceMinName, ProfileName: profileMinName,
		Protocols: map[string]dtos.ProtocolProperties{"other": {}},
	}
}

func eventWithEveryValueType() dtos.Event {
	event := dtos.NewEvent(profileName, deviceName, sourceAllTypes)
	event.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a01"
	event.Origin = bigOrigin
	event.Tags = nil // Go clients often leave tags nil: omitted
	simple := func(resource, valueType string, value any) {
		if err := event.AddSimpleReading(resource, valueType, value); err != nil {
			panic(err)
		}
	}
	simple("Int64Value", common.ValueTypeInt64, int64(-9007199254740993)) // -(2^53+1)
	simple("Int64Value", common.ValueTypeInt64, int64(9223372036854775807))
	simple("Uint64Value", common.ValueTypeUint64, uint64(18446744073709551615))
	simple("Float64Value", common.ValueTypeFloat64, 3.141592653589793)
	simple("BoolValue", common.ValueTypeBool, true)
	simple("StringValue", common.ValueTypeString, "héllo \"quoted\" \\ ✓")
	simple("Int32Array", common.ValueTypeInt32Array, []int32{1, -2, 2147483647})
	event.AddObjectReading("ObjectValue", map[string]any{"a": 1, "b": []any{true, "x"}, "c": map[string]any{"d": nil}})
	event.AddBinaryReading("Image", []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xFF, 0xFE}, "image/png")
	for i := range event.Readings {
		event.Readings[i].Id = ""
		event.Readings[i].Origin = bigOrigin + int64(i) // each origin beyond 2^53 and distinct
		event.Readings[i].Tags = nil
	}
	event.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b01"
	event.Readings[0].Tags = dtos.Tags{"unit-test": "go", "n": 1}
	event.Readings[3].Units = "C" // Float64Value
	return event
}

// moreValueTypesEvent has the other value types as Go formats them (Float32 and float arrays in %e, arrays
// as "[a, b]"), and v4's ObjectArray.
func moreValueTypesEvent() dtos.Event {
	event := dtos.NewEvent(profileName, deviceName, "MoreTypes")
	event.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a05"
	event.Origin = bigOrigin + 6000
	event.Tags = nil
	simple := func(resource, valueType string, value any) {
		if err := event.AddSimpleReading(resource, valueType, value); err != nil {
			panic(err)
		}
	}
	simple("Float32", common.ValueTypeFloat32, float32(-12.345))
	simple("Int8", common.ValueTypeInt8, int8(-128))
	simple("Uint16", common.ValueTypeUint16, uint16(65535))
	simple("Uint8Array", common.ValueTypeUint8Array, []uint8{0, 127, 255})
	simple("Int64Array", common.ValueTypeInt64Array, []int64{-9223372036854775808, 9007199254740993})
	simple("Uint64Array", common.ValueTypeUint64Array, []uint64{18446744073709551615})
	simple("Float32Array", common.ValueTypeFloat32Array, []float32{1.5, -0.25})
	simple("Float64Array", common.ValueTypeFloat64Array, []float64{3.141592653589793, 1e-300})
	simple("BoolArray", common.ValueTypeBoolArray, []bool{true, false})
	simple("StringArray", common.ValueTypeStringArray, []string{"a", "b c"})
	event.Readings = append(event.Readings, dtos.NewObjectReadingWithArray(profileName, deviceName, "ObjectArray",
		[]any{map[string]any{"k": 1}, map[string]any{"k": "two"}}))
	for i := range event.Readings {
		event.Readings[i].Id = ""
		event.Readings[i].Origin = event.Origin
		event.Readings[i].Tags = nil
	}
	return event
}

// nullReadingsEvent has EdgeX 4's null readings (a resource read without a value): Go writes `"value":null,
// "binaryValue":null,"objectValue":null`.
func nullReadingsEvent(id string) dtos.Event {
	event := dtos.NewEvent(profileName, deviceName, "StringValue")
	event.Id = id
	event.Origin = bigOrigin + 5000
	event.Tags = nil
	event.AddNullReading("StringValue", common.ValueTypeString)
	event.AddNullReading("Int64Value", common.ValueTypeInt64)
	event.AddNullReading("ObjectValue", common.ValueTypeObject)
	for i := range event.Readings {
		event.Readings[i].Id = ""
		event.Readings[i].Origin = event.Origin
		event.Readings[i].Tags = nil
	}
	return event
}

func binaryEvent() dtos.Event {
	event := dtos.NewEvent(profileName, deviceName, "Image")
	event.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a02"
	event.Origin = bigOrigin + 1000
	event.AddBinaryReading("Image", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary payload \xff\x00"), "image/png")
	event.Readings[0].Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4b02"
	event.Readings[0].Origin = bigOrigin + 1000
	return event
}

func minimalEvent() dtos.Event {
	event := dtos.NewEvent(profileMinName, deviceMinName, "Level")
	event.Id = "6a0e4a8b-3c2d-4e1f-8a9b-0c1d2e3f4a03"
	event.Origin = 1700000000000000000
	event.Tags = nil
	if err := event.AddSimpleReading("Level", common.ValueTypeInt16, int16(-7)); err != nil {
		panic(err)
	}
	event.Readings[0].Id = ""
	event.Readings[0].Origin = 1700000000000000000
	event.Readings[0].Tags = nil
	return event
}

func eventPath(e dtos.Event, service string) string {
	return "/event/" + service + "/" + e.ProfileName + "/" + e.DeviceName + "/" + e.SourceName
}

func buildVectors() []vector {
	md, cd, cc := "core-metadata", "core-data", "core-command"
	var nilDevices []requests.AddDeviceRequest
	fullEvent := requests.AddEventRequest{BaseRequest: base("000000000020"), Event: eventWithEveryValueType()}
	cborEvent := requests.AddEventRequest{BaseRequest: base("000000000021"), Event: binaryEvent()}
	cborBody, err := cbor.Marshal(cborEvent)
	if err != nil {
		panic(err)
	}
	vectors := []vector{
		jsonVector("AddDeviceServiceRequest: a device service", md, "POST", "/deviceservice", "AddDeviceServiceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceServiceRequest{{BaseRequest: base("000000000001"), Service: dtos.DeviceService{
				Name: serviceName, Description: "device service of the Go vectors", Labels: []string{"go"},
				BaseAddress: "http://go-ds:59999", AdminState: "UNLOCKED", Properties: map[string]any{"k": "v"},
			}}}, created(1)),
		jsonVector("AddDeviceServiceRequest: zero values (nil labels, properties: null, no requestId)", md, "POST", "/deviceservice", "AddDeviceServiceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceServiceRequest{{BaseRequest: dtoCommon.BaseRequest{Versionable: dtoCommon.NewVersionable()}, Service: dtos.DeviceService{
				Name: serviceMinName, BaseAddress: "http://go-ds-min:59999", AdminState: "UNLOCKED",
			}}}, created(1)),
		jsonVector("AddDeviceRequest: a nil batch (Go marshals a nil slice as null)", md, "POST", "/device", "AddDeviceRequest[]", "BaseWithIdResponse[]",
			nilDevices, expectation{Status: 207, EmptyBatch: true}),
		jsonVector("DeviceProfileRequest: resources of several value types, a command, pointers set", md, "POST", "/deviceprofile", "DeviceProfileRequest[]", "BaseWithIdResponse[]",
			[]requests.DeviceProfileRequest{{BaseRequest: base("000000000002"), Profile: fullProfile()}}, created(1)),
		jsonVector("DeviceProfileRequest: a uint64 mask and an int64 shift beyond 2^53", md, "POST", "/deviceprofile", "DeviceProfileRequest[]", "BaseWithIdResponse[]",
			[]requests.DeviceProfileRequest{{BaseRequest: base("000000000017"), Profile: wideMaskProfile()}}, created(1)),
		jsonVector("DeviceProfileRequest: nil slices and maps (deviceCommands: null, no labels)", md, "POST", "/deviceprofile", "DeviceProfileRequest[]", "BaseWithIdResponse[]",
			[]requests.DeviceProfileRequest{{BaseRequest: base("000000000003"), Profile: minimalProfile()}}, created(1)),
		jsonVector("DeviceProfileRequest: PUT replaces a profile", md, "PUT", "/deviceprofile", "DeviceProfileRequest[]", "BaseResponse[]",
			[]requests.DeviceProfileRequest{{BaseRequest: base("000000000004"), Profile: func() dtos.DeviceProfile {
				p := minimalProfile()
				p.Description = "replaced by PUT"
				return p
			}()}}, updated(1)),
		jsonVector("DeviceProfileBasicInfoRequest: PATCH with only a name and a description", md, "PATCH", "/deviceprofile/basicinfo", "DeviceProfileBasicInfoRequest[]", "BaseResponse[]",
			[]requests.DeviceProfileBasicInfoRequest{{BaseRequest: base("000000000005"), BasicInfo: dtos.UpdateDeviceProfileBasicInfo{
				Name: ptr(profileName), Description: ptr("patched by Go"),
			}}}, updated(1)),
		jsonVector("AddDeviceResourceRequest: a resource added to a profile", md, "POST", "/deviceprofile/resource", "AddDeviceResourceRequest[]", "BaseResponse[]",
			[]requests.AddDeviceResourceRequest{{BaseRequest: base("000000000006"), ProfileName: profileName, Resource: dtos.DeviceResource{
				Name: "Uint8Value", Properties: dtos.ResourceProperties{ValueType: common.ValueTypeUint8, ReadWrite: common.ReadWrite_RW, DefaultValue: "7"},
			}}}, created(1)),
		jsonVector("UpdateDeviceResourceRequest: PATCH a description (isHidden: null)", md, "PATCH", "/deviceprofile/resource", "UpdateDeviceResourceRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceResourceRequest{{BaseRequest: base("000000000007"), ProfileName: profileName, Resource: dtos.UpdateDeviceResource{
				Name: ptr("Uint8Value"), Description: ptr("patched resource"),
			}}}, updated(1)),
		jsonVector("UpdateDeviceResourceRequest: PATCH isHidden only (description: null)", md, "PATCH", "/deviceprofile/resource", "UpdateDeviceResourceRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceResourceRequest{{BaseRequest: base("000000000019"), ProfileName: profileName, Resource: dtos.UpdateDeviceResource{
				Name: ptr("Uint8Value"), IsHidden: ptr(false),
			}}}, updated(1)),
		jsonVector("AddDeviceCommandRequest: a command added to a profile", md, "POST", "/deviceprofile/deviceCommand", "AddDeviceCommandRequest[]", "BaseResponse[]",
			[]requests.AddDeviceCommandRequest{{BaseRequest: base("000000000008"), ProfileName: profileName, DeviceCommand: dtos.DeviceCommand{
				Name: "Pair", ReadWrite: common.ReadWrite_R,
				ResourceOperations: []dtos.ResourceOperation{{DeviceResource: "Int64Value"}, {DeviceResource: "Uint64Value"}},
			}}}, created(1)),
		jsonVector("UpdateDeviceCommandRequest: PATCH isHidden only", md, "PATCH", "/deviceprofile/deviceCommand", "UpdateDeviceCommandRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceCommandRequest{{BaseRequest: base("000000000009"), ProfileName: profileName, DeviceCommand: dtos.UpdateDeviceCommand{
				Name: ptr("Pair"), IsHidden: ptr(true),
			}}}, updated(1)),
		jsonVector("UpdateDeviceCommandRequest: PATCH with only a name (isHidden: null, nothing changes)", md, "PATCH", "/deviceprofile/deviceCommand", "UpdateDeviceCommandRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceCommandRequest{{BaseRequest: base("000000000018"), ProfileName: profileName, DeviceCommand: dtos.UpdateDeviceCommand{
				Name: ptr("Pair"),
			}}}, updated(1)),
		jsonVector("DeviceProfileTagsRequest: PATCH the tags of a resource and a command", md, "PATCH", "/deviceprofile/name/"+profileName+"/tags", "DeviceProfileTagsRequest", "BaseResponse",
			requests.DeviceProfileTagsRequest{BaseRequest: base("000000000040"), UpdateDeviceProfileTags: dtos.UpdateDeviceProfileTags{
				DeviceResources: []dtos.UpdateTags{{Name: "Int64Value", Tags: map[string]any{"unit": "count", "level": 2}}},
				DeviceCommands:  []dtos.UpdateTags{{Name: sourceAllTypes, Tags: map[string]any{"group": "go"}}},
			}}, expectation{Status: 200}),
		jsonVector("AddDeviceRequest: autoEvents (one with a zero retention), protocols with numbers, location, tags", md, "POST", "/device", "AddDeviceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceRequest{{BaseRequest: base("000000000010"), Device: fullDevice()}}, created(1)),
		jsonVector("AddDeviceRequest: zero values (empty id, nil labels/tags/autoEvents, properties: null)", md, "POST", "/device", "AddDeviceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceRequest{{BaseRequest: base("000000000011"), Device: minimalDevice()}}, created(1)),
		jsonVector("AddDeviceRequest: a child device (v4 parent)", md, "POST", "/device", "AddDeviceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceRequest{{BaseRequest: base("000000000034"), Device: func() dtos.Device {
				d := minimalDevice()
				d.Name = deviceChildName
				d.Parent = deviceName
				return d
			}()}}, created(1)),
		jsonVector("AddDeviceRequest: a batch with a name that exists (409) and a new device (201)", md, "POST", "/device", "AddDeviceRequest[]", "BaseWithIdResponse[]",
			[]requests.AddDeviceRequest{
				{BaseRequest: base("000000000030"), Device: minimalDevice()},
				{BaseRequest: base("000000000031"), Device: func() dtos.Device {
					d := minimalDevice()
					d.Name = deviceBatchName
					return d
				}()},
			}, expectation{Status: 207, ItemStatus: []int{409, 201}}),
		jsonVector("AddDeviceRequest: a batch whose second item EdgeX refuses (adminState \"\"): one 400, nothing stored", md, "POST", "/device", "AddDeviceRequest[]", "BaseResponse",
			[]requests.AddDeviceRequest{
				{BaseRequest: base("000000000032"), Device: func() dtos.Device {
					d := minimalDevice()
					d.Name = deviceRefusedName
					return d
				}()},
				{BaseRequest: base("000000000033"), Device: func() dtos.Device {
					d := minimalDevice()
					d.Name = deviceRefusedName + "-2"
					d.AdminState = ""
					return d
				}()},
			}, expectation{Status: 400}),
		jsonVector("UpdateDeviceRequest: PATCH with a name and one changed field (id: null, the rest null)", md, "PATCH", "/device", "UpdateDeviceRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceRequest{{BaseRequest: base("000000000012"), Device: dtos.UpdateDevice{
				Name: ptr(deviceName), Description: ptr("patched by Go"),
			}}}, updated(1)),
		jsonVector("UpdateDeviceRequest: PATCH with id \"\" and a name", md, "PATCH", "/device", "UpdateDeviceRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceRequest{{BaseRequest: base("000000000013"), Device: dtos.UpdateDevice{
				Id: ptr(""), Name: ptr(deviceMinName), OperatingState: ptr("UP"),
			}}}, updated(1)),
		jsonVector("UpdateDeviceServiceRequest: PATCH with a name and a description", md, "PATCH", "/deviceservice", "UpdateDeviceServiceRequest[]", "BaseResponse[]",
			[]requests.UpdateDeviceServiceRequest{{BaseRequest: base("000000000014"), Service: dtos.UpdateDeviceService{
				Name: ptr(serviceMinName), Description: ptr("patched by Go"),
			}}}, updated(1)),
		jsonVector("AddProvisionWatcherRequest: identifiers, nil blockingIdentifiers, discoveredDevice with nil autoEvents/properties", md, "POST", "/provisionwatcher", "AddProvisionWatcherRequest[]", "BaseWithIdResponse[]",
			[]requests.AddProvisionWatcherRequest{{BaseRequest: base("000000000015"), ProvisionWatcher: dtos.ProvisionWatcher{
				Name: watcherName, ServiceName: serviceName, Identifiers: map[string]string{"Address": "10\\.0\\.0\\..*"},
				AdminState: "UNLOCKED", DiscoveredDevice: dtos.DiscoveredDevice{ProfileName: profileName, AdminState: "UNLOCKED"},
			}}}, created(1)),
		jsonVector("UpdateProvisionWatcherRequest: PATCH a name and adminState (discoveredDevice all null)", md, "PATCH", "/provisionwatcher", "UpdateProvisionWatcherRequest[]", "BaseResponse[]",
			[]requests.UpdateProvisionWatcherRequest{{BaseRequest: base("000000000016"), ProvisionWatcher: dtos.UpdateProvisionWatcher{
				Name: ptr(watcherName), AdminState: ptr("LOCKED"),
			}}}, updated(1)),
		jsonVector("SecretRequest: POST /secret without a configuration provider", md, "POST", "/secret", "SecretRequest", "BaseResponse",
			dtoCommon.NewSecretRequest("go-secret", []dtoCommon.SecretDataKeyValue{{Key: "username", Value: "go"}, {Key: "password", Value: "p@ss"}}),
			expectation{Status: 405}),
		jsonVector("AddEventRequest: readings of every kind (Int64/Uint64 extremes, Float64, Bool, String, array, Object, Binary), origins beyond 2^53",
			cd, "POST", eventPath(fullEvent.Event, serviceName), "AddEventRequest", "BaseWithIdResponse", fullEvent, expectation{Status: 201}),
		{Name: "AddEventRequest as CBOR: a Binary reading (as EdgeX's device SDK sends it)", Service: cd, Method: "POST",
			Path: eventPath(cborEvent.Event, serviceName), Request: "AddEventRequest", Answer: "BaseWithIdResponse",
			ContentType: common.ContentTypeCBOR, BodyBase64: base64.StdEncoding.EncodeToString(cborBody), Expect: expectation{Status: 201}},
		jsonVector("AddEventRequest: one reading, nil tags, no requestId", cd, "POST", eventPath(minimalEvent(), serviceMinName), "AddEventRequest", "BaseWithIdResponse",
			requests.AddEventRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: dtoCommon.NewVersionable()}, Event: minimalEvent()}, expectation{Status: 201}),
		jsonVector("AddEventRequest: the other value types (Float32, Int8, Uint16, every array type, ObjectArray)", cd, "POST", eventPath(moreValueTypesEvent(), serviceName), "AddEventRequest", "BaseWithIdResponse",
			requests.AddEventRequest{BaseRequest: base("000000000023"), Event: moreValueTypesEvent()}, expectation{Status: 201}),
		jsonVector("AddEventRequest: EdgeX 4 null readings (value, binaryValue, objectValue null)", cd, "POST", eventPath(nullReadingsEvent(nullEventId), serviceName), "AddEventRequest", "BaseWithIdResponse",
			requests.AddEventRequest{BaseRequest: base("000000000022"), Event: nullReadingsEvent(nullEventId)}, expectation{Status: 201}),
		jsonVector("SET command: map[string]any of EdgeX's command client", cc, "PUT", "/device/name/"+deviceName+"/"+sourceAllTypes, "map[string]any", "BaseResponse",
			map[string]any{"Int64Value": "-9007199254740993", "BoolValue": "true"}, expectation{Status: 200}),
	}
	vectors = append(vectors, yamlProfileVectors()...)
	vectors = append(vectors, busEventVectors()...)
	for i, v := range vectors {
		if strings.Contains(v.Request, "AddEventRequest") {
			vectors[i].EventId = eventIdOf(v)
		}
	}
	for _, v := range vectors {
		err := acceptedByEdgeX(v)
		if v.Expect.Status == 400 && err == nil {
			panic(fmt.Sprintf("vector %q is meant to be refused, but EdgeX's DTO accepts it", v.Name))
		}
		if v.Expect.Status != 400 && err != nil {
			panic(fmt.Sprintf("vector %q is not what EdgeX accepts: %v", v.Name, err))
		}
	}
	return vectors
}

// requestTypes are EdgeX's request DTOs; their UnmarshalJSON runs EdgeX's validation.
var requestTypes = map[string]func() any{
	"AddDeviceServiceRequest":       func() any { return new(requests.AddDeviceServiceRequest) },
	"UpdateDeviceServiceRequest":    func() any { return new(requests.UpdateDeviceServiceRequest) },
	"AddDeviceRequest":              func() any { return new(requests.AddDeviceRequest) },
	"UpdateDeviceRequest":           func() any { return new(requests.UpdateDeviceRequest) },
	"DeviceProfileRequest":          func() any { return new(requests.DeviceProfileRequest) },
	"DeviceProfileBasicInfoRequest": func() any { return new(requests.DeviceProfileBasicInfoRequest) },
	"AddDeviceResourceRequest":      func() any { return new(requests.AddDeviceResourceRequest) },
	"UpdateDeviceResourceRequest":   func() any { return new(requests.UpdateDeviceResourceRequest) },
	"AddDeviceCommandRequest":       func() any { return new(requests.AddDeviceCommandRequest) },
	"UpdateDeviceCommandRequest":    func() any { return new(requests.UpdateDeviceCommandRequest) },
	"AddProvisionWatcherRequest":    func() any { return new(requests.AddProvisionWatcherRequest) },
	"UpdateProvisionWatcherRequest": func() any { return new(requests.UpdateProvisionWatcherRequest) },
	"AddEventRequest":               func() any { return new(requests.AddEventRequest) },
	"SecretRequest":                 func() any { return new(dtoCommon.SecretRequest) },
	"DeviceProfileTagsRequest":      func() any { return new(requests.DeviceProfileTagsRequest) },
	"map[string]any":                func() any { return new(map[string]any) },
}

// acceptedByEdgeX decodes a vector's body back into its EdgeX request DTO, as an EdgeX service does.
func acceptedByEdgeX(v vector) error {
	if v.Request == "DeviceProfile(YAML)" {
		var profile dtos.DeviceProfile
		if err := yaml.Unmarshal([]byte(v.Body), &profile); err != nil {
			return err
		}
		return profile.Validate()
	}
	if v.Service == "message-bus" {
		_, err := eventFromEnvelope([]byte(v.Body))
		return err
	}
	elem, isBatch := strings.CutSuffix(v.Request, "[]")
	newValue, known := requestTypes[elem]
	if !known {
		return fmt.Errorf("no request type %q", v.Request)
	}
	target := reflect.ValueOf(newValue())
	if isBatch {
		target = reflect.New(reflect.SliceOf(target.Type().Elem()))
	}
	if v.ContentType == common.ContentTypeCBOR {
		data, err := base64.StdEncoding.DecodeString(v.BodyBase64)
		if err != nil {
			return err
		}
		return cbor.Unmarshal(data, target.Interface())
	}
	return json.Unmarshal([]byte(v.Body), target.Interface())
}

// eventIdOf reads the event id back out of a vector, as EdgeX decodes it.
func eventIdOf(v vector) string {
	if v.Service == "message-bus" {
		req, err := eventFromEnvelope([]byte(v.Body))
		if err != nil {
			panic(err)
		}
		return req.Event.Id
	}
	var req requests.AddEventRequest
	var err error
	if v.ContentType == common.ContentTypeCBOR {
		var data []byte
		if data, err = base64.StdEncoding.DecodeString(v.BodyBase64); err == nil {
			err = cbor.Unmarshal(data, &req)
		}
	} else {
		err = json.Unmarshal([]byte(v.Body), &req)
	}
	if err != nil {
		panic(err)
	}
	return req.Event.Id
}

// yamlProfileVectors are profile files as yaml.v3 (EdgeX's YAML library) writes EdgeX's DeviceProfile, for
// /deviceprofile/uploadfile (form field "file", as EdgeX's DeviceProfileClient.AddByYaml and UpdateByYaml send it).
func yamlProfileVectors() []vector {
	profile := fullProfile()
	profile.Name = profileYamlName
	profile.Labels = nil
	profile.DeviceCommands = nil
	added := mustYAML(profile)
	profile.Description = "replaced by a YAML file"
	replaced := mustYAML(profile)
	return []vector{
		{Name: "DeviceProfile YAML (yaml.v3) uploaded as a file", Service: "core-metadata", Method: "POST", Path: "/deviceprofile/uploadfile",
			Request: "DeviceProfile(YAML)", Answer: "BaseWithIdResponse", ContentType: "multipart/form-data; file", Body: added, Expect: expectation{Status: 201}},
		{Name: "DeviceProfile YAML (yaml.v3) replacing the profile (PUT uploadfile)", Service: "core-metadata", Method: "PUT", Path: "/deviceprofile/uploadfile",
			Request: "DeviceProfile(YAML)", Answer: "BaseResponse", ContentType: "multipart/form-data; file", Body: replaced, Expect: expectation{Status: 200}},
	}
}

func mustYAML(v any) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func printVectors(out io.Writer) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"contracts": "github.com/edgexfoundry/go-mod-core-contracts/v4 v4.0.3",
		"names": map[string]string{
			"service": serviceName, "serviceMin": serviceMinName, "profile": profileName, "profileMin": profileMinName, "profileWide": profileWideName, "profileYaml": profileYamlName,
			"device": deviceName, "deviceMin": deviceMinName, "deviceBatch": deviceBatchName, "deviceChild": deviceChildName, "deviceRefused": deviceRefusedName, "watcher": watcherName, "command": sourceAllTypes,
			"eventAll": eventWithEveryValueType().Id, "eventBinary": binaryEvent().Id, "eventMin": minimalEvent().Id,
		},
		"vectors": buildVectors(),
		// What EdgeX's device SDK answers on the bus, by request ("get:<command>", "get-no-event", "set", "validate").
		"deviceService": map[string]any{
			"requestId": placeholderRequestId, "correlationId": placeholderCorrelationId, "answers": deviceServiceAnswers(),
		},
	})
}
