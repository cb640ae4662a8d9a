package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	dtoCommon "github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"
)

// checkType is one DTO an EdgeX Go client decodes: a new empty value, and the EdgeX validation that
// applies to what it holds (the contracts' Validate methods and common.Validate on the entity DTOs).
type checkType struct {
	newValue func() any
	validate func(v any) error
}

func entityCheck[T any](validate func(v *T) error) checkType {
	return checkType{newValue: func() any { return new(T) }, validate: func(v any) error { return validate(v.(*T)) }}
}

func baseOnly[T any]() checkType {
	return entityCheck(func(v *T) error { return common.Validate(v) })
}

var v3 = dtoCommon.Versionable{ApiVersion: common.ApiVersion}

func validateDevice(d dtos.Device) error {
	return requests.AddDeviceRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Device: d}.Validate()
}

func validateProfile(p dtos.DeviceProfile) error {
	return requests.DeviceProfileRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Profile: p}.Validate()
}

func validateService(s dtos.DeviceService) error {
	return requests.AddDeviceServiceRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Service: s}.Validate()
}

func validateWatcher(w dtos.ProvisionWatcher) error {
	req := requests.AddProvisionWatcherRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, ProvisionWatcher: w}
	return req.Validate()
}

func validateEvent(e dtos.Event) error {
	if err := common.Validate(requests.AddEventRequest{BaseRequest: dtoCommon.BaseRequest{Versionable: v3}, Event: e}); err != nil {
		return err
	}
	return eachValid(e.Readings, "readings", validateReading)
}

// validateReading is EdgeX's validation of a reading. Its value check reads the value string; a numeric value
// (numeric=true answers) has none, so only the reading's own fields are checked then.
func validateReading(r dtos.BaseReading) error {
	if err := common.Validate(r); err != nil {
		return err
	}
	if r.NumericValue != nil {
		return nil
	}
	return r.Validate()
}

func eachValid[T any](items []T, what string, validate func(T) error) error {
	for i, item := range items {
		if err := validate(item); err != nil {
			return fmt.Errorf("%s[%d]: %w", what, i, err)
		}
	}
	return nil
}

var checkTypes = map[string]checkType{
	"BaseResponse":               baseOnly[dtoCommon.BaseResponse](),
	"BaseWithIdResponse":         baseOnly[dtoCommon.BaseWithIdResponse](),
	"BaseWithTotalCountResponse": baseOnly[dtoCommon.BaseWithTotalCountResponse](),
	"CountResponse":              baseOnly[dtoCommon.CountResponse](),
	"PingResponse":               baseOnly[dtoCommon.PingResponse](),
	"VersionResponse":            baseOnly[dtoCommon.VersionResponse](),
	"VersionSdkResponse":         baseOnly[dtoCommon.VersionSdkResponse](),
	"ConfigResponse":             baseOnly[dtoCommon.ConfigResponse](),
	"UnitsOfMeasureResponse":     baseOnly[responses.UnitsOfMeasureResponse](),
	"DeviceResponse": entityCheck(func(v *responses.DeviceResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateDevice(v.Device)
	}),
	"MultiDevicesResponse": entityCheck(func(v *responses.MultiDevicesResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Devices, "devices", validateDevice)
	}),
	"DeviceProfileResponse": entityCheck(func(v *responses.DeviceProfileResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateProfile(v.Profile)
	}),
	"MultiDeviceProfilesResponse": entityCheck(func(v *responses.MultiDeviceProfilesResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Profiles, "profiles", validateProfile)
	}),
	"MultiDeviceProfileBasicInfoResponse": entityCheck(func(v *responses.MultiDeviceProfileBasicInfoResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Profiles, "profiles", func(p dtos.DeviceProfileBasicInfo) error { return common.Validate(p) })
	}),
	"DeviceResourceResponse": entityCheck(func(v *responses.DeviceResourceResponse) error {
		return common.Validate(v)
	}),
	"DeviceServiceResponse": entityCheck(func(v *responses.DeviceServiceResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateService(v.Service)
	}),
	"MultiDeviceServicesResponse": entityCheck(func(v *responses.MultiDeviceServicesResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Services, "services", validateService)
	}),
	"ProvisionWatcherResponse": entityCheck(func(v *responses.ProvisionWatcherResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateWatcher(v.ProvisionWatcher)
	}),
	"MultiProvisionWatchersResponse": entityCheck(func(v *responses.MultiProvisionWatchersResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.ProvisionWatchers, "provisionWatchers", validateWatcher)
	}),
	"EventResponse": entityCheck(func(v *responses.EventResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateEvent(v.Event)
	}),
	"MultiEventsResponse": entityCheck(func(v *responses.MultiEventsResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Events, "events", validateEvent)
	}),
	"ReadingResponse": entityCheck(func(v *responses.ReadingResponse) error {
		if err := common.Validate(v.BaseResponse); err != nil {
			return err
		}
		return validateReading(v.Reading)
	}),
	"MultiReadingsResponse": entityCheck(func(v *responses.MultiReadingsResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.Readings, "readings", validateReading)
	}),
	// Aggregates are not stored readings (no id, no origin): decoded and compared, not validated as readings.
	"MultiReadingsAggregationResponse": entityCheck(func(v *responses.MultiReadingsAggregationResponse) error {
		return common.Validate(v.BaseResponse)
	}),
	"DeviceCoreCommandResponse": entityCheck(func(v *responses.DeviceCoreCommandResponse) error {
		return common.Validate(v)
	}),
	"MultiDeviceCoreCommandsResponse": entityCheck(func(v *responses.MultiDeviceCoreCommandsResponse) error {
		if err := common.Validate(v.BaseWithTotalCountResponse); err != nil {
			return err
		}
		return eachValid(v.DeviceCoreCommands, "deviceCoreCommands", func(c dtos.DeviceCoreCommand) error { return common.Validate(c) })
	}),
	"SystemEvent": entityCheck(systemEventDetails),
}

// exactSystemEvent is EdgeX's SystemEvent with its details as sent. (EdgeX's DecodeDetails goes through
// `Details any`, whose float64 rounds integers beyond 2^53 whoever sent them, EdgeX's own core-metadata too:
// a profile's uint64 mask near 2^64 even overflows. What counts here is what we sent.)
type exactSystemEvent struct {
	dtos.SystemEvent
	rawDetails json.RawMessage
}

func (e *exactSystemEvent) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.SystemEvent); err != nil {
		return err
	}
	var raw struct {
		Details json.RawMessage `json:"details"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	e.rawDetails = raw.Details
	return nil
}

// systemEventDetails decodes a system event's details into the DTO its type names, as EdgeX's device SDK
// does, and validates that DTO.
func systemEventDetails(v *exactSystemEvent) error {
	if err := common.Validate(v.SystemEvent); err != nil {
		return err
	}
	details, err := decodeDetails(v)
	if err != nil || details == nil {
		return err
	}
	switch d := details.(type) {
	case *dtos.Device:
		return validateDevice(*d)
	case *dtos.DeviceProfile:
		return validateProfile(*d)
	case *dtos.DeviceService:
		return validateService(*d)
	case *dtos.ProvisionWatcher:
		return validateWatcher(*d)
	}
	return nil
}

// decodeDetails is the DTO a system event's type names, decoded from its details (nil for other types).
func decodeDetails(v *exactSystemEvent) (any, error) {
	var target any
	switch v.Type {
	case common.DeviceSystemEventType:
		target = new(dtos.Device)
	case common.DeviceProfileSystemEventType:
		target = new(dtos.DeviceProfile)
	case common.DeviceServiceSystemEventType:
		target = new(dtos.DeviceService)
	case common.ProvisionWatcherSystemEventType:
		target = new(dtos.ProvisionWatcher)
	default:
		return nil, nil
	}
	if len(v.rawDetails) == 0 || string(v.rawDetails) == "null" {
		return nil, errors.New("unable to decode System Event details: Details are nil")
	}
	if err := json.Unmarshal(v.rawDetails, target); err != nil {
		return nil, fmt.Errorf("unable to decode System Event details: %w", err)
	}
	return target, nil
}

// compareDetails compares a system event's details with what Go makes of them as their DTO (Details is
// `any`, so the comparison of the whole event stops at it).
func compareDetails(event *exactSystemEvent, ours any, diffs *[]diff) {
	details, err := decodeDetails(event)
	if err != nil || details == nil {
		return
	}
	oursMap, ok := ours.(map[string]any)
	if !ok {
		return
	}
	remarshalled, err := json.Marshal(details)
	if err != nil {
		return
	}
	theirs, _ := decodeLoose(remarshalled)
	compareJSON("$.details", oursMap["details"], theirs, diffs)
}

func checkTypeNames() []string {
	names := make([]string, 0, len(checkTypes))
	for name := range checkTypes {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// checkReport is what `check` finds; Ok is false when an EdgeX Go client could not use the body as is.
type checkReport struct {
	Type          string `json:"type"`
	Ok            bool   `json:"ok"`
	DecodeError   string `json:"decodeError,omitempty"`
	ValidateError string `json:"validateError,omitempty"`
	// Decoding with DisallowUnknownFields (and, for events and readings, their Extensions): a finding only,
	// Go clients ignore unknown fields.
	UnknownFields string `json:"unknownFields,omitempty"`
	Diffs         []diff `json:"diffs"`
}

func runCheck(typeName string, input []byte, asJSON bool, out io.Writer) int {
	report := check(typeName, input)
	if asJSON {
		data, _ := json.Marshal(report)
		fmt.Fprintln(out, string(data))
	} else {
		if report.Ok {
			fmt.Fprintln(out, "OK")
		} else {
			fmt.Fprintln(out, "FAIL")
		}
		if report.DecodeError != "" {
			fmt.Fprintln(out, "decode:", report.DecodeError)
		}
		if report.ValidateError != "" {
			fmt.Fprintln(out, "validate:", report.ValidateError)
		}
		if report.UnknownFields != "" {
			fmt.Fprintln(out, "unknown fields (finding):", report.UnknownFields)
		}
		for _, d := range report.Diffs {
			fmt.Fprintln(out, d.String())
		}
	}
	if report.Ok {
		return 0
	}
	return 1
}

func check(typeName string, input []byte) checkReport {
	report := checkReport{Type: typeName, Diffs: []diff{}}
	elem, isBatch := strings.CutSuffix(typeName, "[]")
	ct, known := checkTypes[elem]
	if !known {
		report.DecodeError = fmt.Sprintf("unknown DTO type %q (known: %s)", typeName, strings.Join(checkTypeNames(), ", "))
		return report
	}
	target := reflect.ValueOf(ct.newValue()) // *T
	if isBatch {
		target = reflect.New(reflect.SliceOf(target.Type().Elem())) // *[]T
	}
	if err := json.Unmarshal(input, target.Interface()); err != nil {
		report.DecodeError = err.Error()
		return report
	}
	if isBatch {
		items := target.Elem()
		for i := 0; i < items.Len(); i++ {
			if err := ct.validate(items.Index(i).Addr().Interface()); err != nil {
				report.ValidateError = fmt.Sprintf("[%d]: %v", i, err)
				break
			}
		}
	} else if err := ct.validate(target.Interface()); err != nil {
		report.ValidateError = err.Error()
	}
	report.UnknownFields = unknownFields(input, target.Type().Elem(), target.Interface())

	remarshalled, err := json.Marshal(target.Interface())
	if err != nil {
		report.DecodeError = "re-marshalling: " + err.Error()
		return report
	}
	ours, err := decodeLoose(input)
	if err != nil {
		report.DecodeError = err.Error()
		return report
	}
	theirs, _ := decodeLoose(remarshalled)
	compareJSON("$", ours, theirs, &report.Diffs)
	if event, isEvent := target.Interface().(*exactSystemEvent); isEvent {
		compareDetails(event, ours, &report.Diffs)
	}
	report.Ok = report.ValidateError == ""
	for _, d := range report.Diffs {
		if d.fails() {
			report.Ok = false
		}
	}
	return report
}

// unknownFields decodes again with DisallowUnknownFields, and lists the Extensions that Event and
// BaseReading (whose own decoders keep unknown keys there) collected.
func unknownFields(input []byte, typ reflect.Type, decoded any) string {
	var found []string
	strict := json.NewDecoder(bytes.NewReader(input))
	strict.DisallowUnknownFields()
	if err := strict.Decode(reflect.New(typ).Interface()); err != nil {
		found = append(found, err.Error())
	}
	walkExtensions(reflect.ValueOf(decoded), "$", &found)
	return strings.Join(found, "; ")
}

var (
	eventType   = reflect.TypeOf(dtos.Event{})
	readingType = reflect.TypeOf(dtos.BaseReading{})
)

func walkExtensions(v reflect.Value, path string, found *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkExtensions(v.Elem(), path, found)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkExtensions(v.Index(i), fmt.Sprintf("%s[%d]", path, i), found)
		}
	case reflect.Struct:
		if v.Type() == eventType || v.Type() == readingType {
			if ext, ok := v.FieldByName("Extensions").Interface().(map[string]any); ok {
				for _, key := range sortedKeys(ext) {
					*found = append(*found, fmt.Sprintf("%s.%s (kept as an extension)", path, key))
				}
			}
		}
		for i := 0; i < v.NumField(); i++ {
			field := v.Type().Field(i)
			if !field.IsExported() || field.Name == "Extensions" {
				continue
			}
			name := field.Name
			if tag := strings.Split(field.Tag.Get("json"), ",")[0]; tag != "" {
				name = tag
			}
			childPath := path + "." + name
			if field.Anonymous {
				childPath = path
			}
			walkExtensions(v.Field(i), childPath, found)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
