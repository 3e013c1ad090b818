"""The commission wizard: industry, parameters, hardware, review, deploy."""
