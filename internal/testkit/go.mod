module github.com/bizapi-cn/go-sdk/internal/testkit

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/levy v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/go-sql-driver/mysql v1.10.1
	github.com/google/go-cmp v0.7.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/jarcoal/httpmock v1.4.2
	github.com/redis/go-redis/v9 v9.23.0
	github.com/tjfoc/gmsm v1.4.1
	modernc.org/sqlite v1.62.0
)

require (
	filippo.io/edwards25519 v1.2.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dustin/go-humanize v1.1.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/ncruces/go-strftime v1.1.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	modernc.org/libc v1.80.1 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
)

require (
	github.com/bizapi-cn/go-sdk/allinpay v0.1.0
	github.com/bizapi-cn/go-sdk/evidence v0.1.0
	github.com/bizapi-cn/go-sdk/scancode v0.1.0
	github.com/bizapi-cn/go-sdk/store/redisstore v0.1.0
	github.com/bizapi-cn/go-sdk/store/sqlstore v0.1.0
	github.com/go-resty/resty/v2 v2.17.2
	golang.org/x/net v0.43.0 // indirect
)

replace (
	github.com/bizapi-cn/go-sdk/internal => ../
	github.com/bizapi-cn/go-sdk/store => ../../store
)

replace github.com/bizapi-cn/go-sdk/levy => ../../levy

replace github.com/bizapi-cn/go-sdk/allinpay => ../../allinpay

replace github.com/bizapi-cn/go-sdk/scancode => ../../scancode

replace github.com/bizapi-cn/go-sdk/evidence => ../../evidence

replace github.com/bizapi-cn/go-sdk/store/sqlstore => ../../store/sqlstore

replace github.com/bizapi-cn/go-sdk/store/redisstore => ../../store/redisstore
