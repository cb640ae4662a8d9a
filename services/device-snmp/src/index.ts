/** device-snmp: placeholder until its driver lands (REST 59993, gRPC 49993). */
export const SERVICE_NAME = 'device-snmp';
