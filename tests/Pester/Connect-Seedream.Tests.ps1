# Connect-Seedream against a simulator in its own process: the connection, the key given there or in the
# environment, and the key kept out of everything the cmdlets write.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 300
}

AfterAll { Stop-TestSession $sim }

Describe 'Connect-Seedream' {
    BeforeEach { Disconnect-Seedream }

    It 'keeps a connection''s settings once a command has used it, and says how to change one' {
        $connection = Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -TimeoutSec 30 -PassThru
        $connection.IsFrozen | Should -BeFalse
        (New-SeedreamImage -Prompt 'a fox').Id | Should -Match '^task-unified-'
        $connection.IsFrozen | Should -BeTrue
        { $connection.Timeout = [timespan]::FromSeconds(5) } | Should -Throw '*Connect-Seedream*'
        { $connection.Retry.MaxRetries = 0 } | Should -Throw '*Connect-Seedream again with -MaxRetryCount*'
        $connection.Timeout.TotalSeconds | Should -Be 30
        # Connecting again is how a setting changes.
        (Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -TimeoutSec 5 -PassThru).Timeout.TotalSeconds | Should -Be 5
    }

    It 'stores a connection and never shows the key' {
        $connection = Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PassThru
        $connection.Gateway | Should -Be 'EvoLink'
        $connection.ApiKey.ToString() | Should -Be '***'
        ($connection | Out-String) | Should -Not -Match $sim.ApiKey
        ($connection | Format-List * | Out-String) | Should -Not -Match $sim.ApiKey
        ($connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match $sim.ApiKey
    }

    It 'accepts the key as a SecureString' {
        $secure = ConvertTo-SecureString -String $sim.ApiKey -AsPlainText -Force
        Connect-Seedream -Gateway EvoLink -ApiKey $secure -BaseUri $sim.EvoLinkUri
        (New-SeedreamImage -Prompt 'a fox').Id | Should -Match '^task-unified-'
    }

    It 'refuses plain http to a host that is not loopback' {
        { Connect-Seedream -Gateway EvoLink -ApiKey 'k' -BaseUri 'http://api.example.com' } | Should -Throw '*https://*'
    }

    It 'says how to give a key when there is none' {
        $saved = $env:SEEDREAM_API_KEY
        $env:SEEDREAM_API_KEY = $null
        try {
            { Connect-Seedream -Gateway EvoLink } | Should -Throw '*-ApiKey*Connect-Seedream*SEEDREAM_API_KEY*'
        }
        finally { $env:SEEDREAM_API_KEY = $saved }
    }
}

Describe 'Configuration from the environment' {
    BeforeEach {
        Reset-Sim $sim
        Disconnect-Seedream
        $saved = @{ Key = $env:SEEDREAM_API_KEY; Gateway = $env:SEEDREAM_GATEWAY; Base = $env:SEEDREAM_BASE_URI }
    }
    AfterEach {
        $env:SEEDREAM_API_KEY = $saved.Key
        $env:SEEDREAM_GATEWAY = $saved.Gateway
        $env:SEEDREAM_BASE_URI = $saved.Base
    }

    It 'needs no Connect-Seedream when SEEDREAM_API_KEY and SEEDREAM_BASE_URI are set' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $sim.EvoLinkUri
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
    }

    It 'uses SEEDREAM_GATEWAY' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = 'LinkModel'
        $env:SEEDREAM_BASE_URI = $sim.LinkModelUri
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'LinkModel'
    }

    It 'saves a result URL with no key anywhere, and its errors name the image host, not a gateway' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $sim.EvoLinkUri
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $env:SEEDREAM_API_KEY = $null
        $env:SEEDREAM_BASE_URI = $null
        $url = $task.Images[0].Url.AbsoluteUri
        $file = $url | Save-SeedreamImage -Path $TestDrive -FileName 'keyless.png'
        Test-IsPng $file.FullName | Should -BeTrue
        $url.Replace($task.Id, 'task-that-never-was') | Save-SeedreamImage -Path $TestDrive -FileName 'missing.png' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -BeLike '*image*'
        $failed[0].Exception.Message | Should -Not -BeLike '*EvoLink*'
        Join-Path $TestDrive 'missing.png' | Should -Not -Exist
    }

    It 'names the three ways to give a key when none is set' {
        $env:SEEDREAM_API_KEY = $null
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $null
        { New-SeedreamImage -Prompt 'p' } | Should -Throw '*-ApiKey*Connect-Seedream*SEEDREAM_API_KEY*'
    }

    It 'takes -ApiKey, -Gateway and -BaseUri for one call' {
        $env:SEEDREAM_API_KEY = $null
        $task = New-SeedreamImage -Prompt 'p' -ApiKey $sim.ApiKey -Gateway LinkModel -BaseUri $sim.LinkModelUri
        $task.Gateway | Should -Be 'LinkModel'
    }
}

Describe 'Secrets' {
    It 'keeps the key out of every stream and every file, with -Verbose, -Debug and failures' {
        Reset-Sim $sim
        Connect-TestGateway
        $out = New-TestFolder
        $everything = & {
            'one', 'two' | New-SeedreamImage -Wait -Verbose -Debug | Save-SeedreamImage -Path $out -Verbose -Debug
            # A refused key stops the whole batch: a terminating error, written here with the rest.
            try { New-SeedreamImage -Prompt 'p' -ApiKey 'wrong-key-that-must-not-show' -ErrorAction Continue } catch { $_ | Out-String }
            Get-SeedreamTask -Id 'task-unified-1-missing' -Verbose -ErrorAction Continue
            Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -PassThru -Verbose
        } *>&1 | Out-String
        $everything | Should -Not -Match $sim.ApiKey
        $everything | Should -Not -Match 'wrong-key-that-must-not-show'
        $everything | Should -Match 'POST'
        $files = Get-ChildItem $out -Recurse -File
        $files.Count | Should -Be 2
        foreach ($file in $files) { [System.IO.File]::ReadAllText($file.FullName) | Should -Not -Match $sim.ApiKey }
    }
}
