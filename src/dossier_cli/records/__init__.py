"""What the user keeps: companies, people and their links, contact points and tags."""
