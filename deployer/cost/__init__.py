"""``deployer cost``'s domain: a dated price table and a monthly estimate from templates."""
