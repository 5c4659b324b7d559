# Local reference images: uploaded, inlined or refused, and after a custom base URI (issue 20, point 12).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
    $refs = New-ReferenceImages
    $savedFiles = $env:SEEDREAM_FILES_BASE_URI
    $env:SEEDREAM_FILES_BASE_URI = $null
}

AfterAll {
    $env:SEEDREAM_FILES_BASE_URI = $savedFiles
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Local references after Connect-Seedream -BaseUri' {
    BeforeEach { Reset-Sim $sim }

    It 'does not send a piped reference to the public files API, and says to give -FilesBaseUri' {
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri
        $tasks = Get-ChildItem (Join-Path $refs 'ref-0.png') | New-SeedreamImage -Prompt 'p' -ErrorVariable failures -ErrorAction SilentlyContinue
        $tasks | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidConfiguration*'
        $failures[0].Exception.Message | Should -Match '-FilesBaseUri'
        $failures[0].Exception.Message | Should -Match 'files API'
        $failures[0].Exception.Message | Should -Not -Match 'Name or service not known'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'uploads through the -FilesBaseUri given' {
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -FilesBaseUri $sim.FilesUri
        $task = Get-ChildItem (Join-Path $refs 'ref-0.png') | New-SeedreamImage -Prompt 'p'
        $task.Id | Should -Not -BeNullOrEmpty
        Get-SimCounter $sim 'files.upload' | Should -Be 1
    }

    It 'names the files API host, not EvoLink, when the files API cannot be reached' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -FilesBaseUri "http://127.0.0.1:$port/files" -MaxRetryCount 0
        $null = Get-ChildItem (Join-Path $refs 'ref-1.png') | New-SeedreamImage -Prompt 'p' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].Exception.Message | Should -Match "EvoLink's files API at 127\.0\.0\.1:$port"
    }

    It 'shows -FilesBaseUri in the README simulator section' {
        $readme = Get-Content -Raw (Join-Path (Get-TestRepoRoot) 'README.md')
        $section = $readme.Substring($readme.IndexOf('## The simulator'))
        $section.Substring(0, $section.IndexOf('## ', 5)) | Should -Match '-FilesBaseUri'
    }
}

Describe 'Local reference images' {
    BeforeAll {
        # Real PNGs to use as references: generate two and keep them.
        $refs = New-ReferenceImages
    }

    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'uploads piped files and makes one task per file, named after it' {
        $out = New-TestFolder
        $files = Get-ChildItem (Join-Path $refs '*.png') | New-SeedreamImage -Prompt 'restyle this photo as a watercolour' |
            Save-SeedreamImage -Path $out -FileName '{BaseName}-styled.png'
        ($files.Name | Sort-Object) | Should -Be @('ref-0-styled.png', 'ref-1-styled.png')
        Get-SimCounter $sim 'files.upload' | Should -Be 2
    }

    It 'takes files and URLs together in -ReferenceImage' {
        $task = New-SeedreamImage -Prompt 'combine' -ReferenceImage @((Get-ChildItem (Join-Path $refs '*.png')) + 'https://example.com/style.png')
        $task.Request.ReferenceImages.Count | Should -Be 3
        Get-SimCounter $sim 'files.upload' | Should -Be 2
    }

    It 'resolves relative paths against the current location' {
        Push-Location $refs
        try {
            (New-SeedreamImage -Prompt 'p' -ReferenceImage './ref-0.png').Request.ReferenceImages[0] | Should -Be (Join-Path $refs 'ref-0.png')
        }
        finally { Pop-Location }
    }

    It 'refuses a file that is not an image before sending anything' {
        $bad = Join-Path (New-TestFolder) 'notes.png'
        Set-Content -Path $bad -Value 'not a picture'
        { New-SeedreamImage -Prompt 'p' -ReferenceImage $bad } | Should -Throw '*not an image*'
        Get-SimCounter $sim 'files.upload' | Should -Be 0
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'inlines files on ModelArk instead of uploading them' {
        Connect-TestGateway -Gateway ModelArk
        (New-SeedreamImage -Prompt 'p' -ReferenceImage (Join-Path $refs 'ref-0.png')).Status | Should -Be 'Succeeded'
        Get-SimCounter $sim 'files.upload' | Should -Be 0
    }
}
