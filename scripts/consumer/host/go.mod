module example.com/host

go 1.26.0
