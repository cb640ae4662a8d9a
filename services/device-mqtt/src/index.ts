/** device-mqtt: placeholder until its driver lands (REST 59982, gRPC 49982). */
export const SERVICE_NAME = 'device-mqtt';
