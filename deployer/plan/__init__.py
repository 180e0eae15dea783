"""``deployer plan``'s domain: change sets read and deleted, rows classified in ECS terms."""
