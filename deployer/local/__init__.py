"""The local AWS endpoint: a moto server on loopback, its patches, and what moto's
CloudFormation leaves undone after a deploy."""
