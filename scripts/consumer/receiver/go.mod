module example.com/receiver

go 1.26.0
