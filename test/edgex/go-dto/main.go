// Command edgex-dto checks edgex-ts against EdgeX's own DTO types (go-mod-core-contracts v4):
//
//	edgex-dto vectors              JSON vectors: request bodies marshalled by EdgeX's Go request DTOs
//	edgex-dto support-vectors <receiver> <failing receiver> the support services' vectors (subscriptions, notifications, v4 jobs, v3
//	                               intervals and interval actions); REST channels and actions call the receivers (host:port)
//	edgex-dto support-clients <notifications-url> <scheduler-url> runs go-mod-core-contracts' HTTP clients (v3's for
//	                               intervals) against the support services after the support vectors; prints each call's error
//	edgex-dto check <Type> [--json] decodes stdin into EdgeX's response DTO <Type> (suffix [] for a 207
//	                               batch answer), runs EdgeX's validation, and compares Go's re-marshalled
//	                               JSON with the input field by field
//	edgex-dto same-event           stdin {"sent": AddEventRequest (or "sentCbor": base64, "sentEnvelope": a bus message), "got": EventResponse}: the event came back
//	                               exactly as Go marshalled it (origins, 64-bit values, binary bytes)
//	edgex-dto types                the type names check knows
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "vectors":
		if err := printVectors(os.Stdout); err != nil {
			fail(err)
		}
	case "support-vectors":
		if len(os.Args) < 4 {
			usage()
		}
		if err := printSupportVectors(os.Stdout, os.Args[2], os.Args[3]); err != nil {
			fail(err)
		}
	case "support-clients":
		if len(os.Args) < 4 {
			usage()
		}
		if err := printSupportClientCalls(os.Stdout, os.Args[2], os.Args[3]); err != nil {
			fail(err)
		}
	case "check":
		if len(os.Args) < 3 {
			usage()
		}
		input, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail(err)
		}
		asJSON := len(os.Args) > 3 && os.Args[3] == "--json"
		os.Exit(runCheck(os.Args[2], input, asJSON, os.Stdout))
	case "same-event":
		input, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail(err)
		}
		os.Exit(runSameEvent(input, os.Stdout))
	case "types":
		for _, name := range checkTypeNames() {
			fmt.Println(name)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: edgex-dto vectors | support-vectors <host:port> <host:port> | support-clients <url> <url> | check <DTO type name>[[]] [--json] < body.json | same-event < pair.json | types")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "edgex-dto:", err)
	os.Exit(2)
}
