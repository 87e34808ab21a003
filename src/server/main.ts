// filled in by the service work
export {};
